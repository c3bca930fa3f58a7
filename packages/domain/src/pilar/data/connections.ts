import { Connection, ConnectionId, type ConnectionType, type PillarId } from "../Schema.js"

/**
 * The 40 directed connections, 20 per mode, in id order. The mode follows from the id prefix
 * (ECP: egalitarian, HCP: hierarchical). Descriptions say what happens when the source pillar rises.
 */
const connection = (
  id: string,
  from: PillarId,
  to: PillarId,
  name: string | null,
  type: ConnectionType,
  strength: number,
  description: string,
  example: string
): Connection =>
  new Connection({
    id: ConnectionId.make(id),
    mode: id.startsWith("E") ? "egalitarian" : "hierarchical",
    from,
    to,
    name,
    type,
    strength,
    description,
    example
  })

const R = "reinforce" as const
const I = "inverse" as const
const D = "discretionary" as const

export const connections: ReadonlyArray<Connection> = [
  // ── Egalitarian ────────────────────────────────────────────────────────────
  connection(
    "ECP-01",
    "grpprosp",
    "indrecip",
    null,
    D,
    0.5,
    "When belief in the group's prospects rises, the effect on unconditional helping depends on context: confidence can free people to help more generously, or lead them to assume others have things covered.",
    "After a team lands a major client, some members spend their spare hours coaching newcomers, while others relax and stop checking whether anyone needs a hand."
  ),
  connection(
    "ECP-02",
    "grpprosp",
    "popularity",
    "Circle the Wagons",
    I,
    0.78,
    "As confidence in the group's future rises, members lean less on close personal bonds for reassurance, so popularity tends to ease; when prospects dim, people close ranks and warmth between them grows.",
    "During a funding scare, a product team starts eating lunch together every day and checking in on each other; once the funding is secured, the gatherings thin out."
  ),
  connection(
    "ECP-03",
    "grpprosp",
    "divsexp",
    "Desperate Times",
    I,
    0.7,
    "When the group expects to succeed, there is less appetite for challenging the current approach, so diverse expression tends to fall; when prospects look bleak, radical ideas suddenly get a hearing.",
    "A sales team on track for its target ignores a junior colleague's new outreach idea, then adopts it eagerly the next quarter when the numbers start slipping."
  ),
  connection(
    "ECP-04",
    "grpprosp",
    "outresp",
    "Scapegoating",
    R,
    0.85,
    "As belief in the group's prospects rises, members credit each other's competence and good intentions, so outgoing respect grows; when prospects fall, people look for someone to blame and respect drops.",
    "While a project runs on schedule, engineers praise each other's work; when it slips, the conversation turns to which colleague's module caused the delay."
  ),
  connection(
    "ECP-05",
    "indrecip",
    "grpprosp",
    "Mucking in Together",
    R,
    0.85,
    "When help flows freely without keeping score, members see the group pulling together and grow more confident that it will reach its goals.",
    "Before a product launch, designers help the support team write help articles, and everyone leaves the week more certain the launch will go well."
  ),
  connection(
    "ECP-06",
    "indrecip",
    "popularity",
    "Spread the Love",
    R,
    0.88,
    "As unconditional helping rises, goodwill spreads through the group and members feel more liked and welcome.",
    "An analyst who regularly helps colleagues with spreadsheets finds herself invited to more lunches and hears more friendly banter across the office."
  ),
  connection(
    "ECP-07",
    "indrecip",
    "divsexp",
    "Here to Help",
    R,
    0.8,
    "When members help each other freely, challenges and new ideas are read as attempts to help rather than as attacks, so diverse expression rises.",
    "Because colleagues know a senior developer is always willing to pair on problems, they feel comfortable when she questions their design choices in review."
  ),
  connection(
    "ECP-08",
    "indrecip",
    "outresp",
    "Watch and Learn",
    R,
    0.75,
    "Helping one another lets members see each other's skills up close, so as indirect reciprocity rises, confidence in colleagues' competence grows.",
    "After helping a colleague debug a tricky integration, a tester realises how skilled he is and starts handing him the hardest cases."
  ),
  connection(
    "ECP-09",
    "popularity",
    "grpprosp",
    "Knowing What's Best",
    R,
    0.75,
    "When well-liked members are at the centre of the group, their enthusiasm for its goals is contagious, so belief in the group's prospects rises.",
    "A popular team lead shares her excitement about the new roadmap over coffee, and within a week the whole team is talking about it with confidence."
  ),
  connection(
    "ECP-10",
    "popularity",
    "indrecip",
    "Spread Too Thin",
    I,
    0.65,
    "As a member becomes more popular, demands on their time and attention multiply, leaving less capacity for helping freely, so indirect reciprocity tends to fall.",
    "The most liked engineer on a team is pulled into so many conversations that he no longer has time to answer the questions newer colleagues bring him."
  ),
  connection(
    "ECP-11",
    "popularity",
    "divsexp",
    "Making Fetch Happen",
    R,
    0.82,
    "Well-liked members can float unconventional ideas and have them taken seriously, so as popularity rises, diverse expression rises with it.",
    "A much-liked marketer proposes an unusual campaign concept; the team, which might have dismissed it from someone else, engages with it and refines it."
  ),
  connection(
    "ECP-12",
    "popularity",
    "outresp",
    "Heavy Lies the Crown",
    I,
    0.68,
    "As popularity rises, members feel the weight of others' expectations and hold on to work rather than trusting colleagues with it, so outgoing respect tends to fall.",
    "A well-liked project coordinator, anxious not to let people down, starts redoing teammates' tasks instead of delegating them."
  ),
  connection(
    "ECP-13",
    "divsexp",
    "grpprosp",
    "Font of Wisdom",
    R,
    0.9,
    "When many perspectives are voiced and heard, the group makes better-informed decisions, so confidence in its prospects rises.",
    "A planning session in which everyone challenged the draft strategy produces a plan the team believes in far more than last year's top-down version."
  ),
  connection(
    "ECP-14",
    "divsexp",
    "indrecip",
    "Growth Mindset",
    R,
    0.78,
    "Where challenge and experimentation are welcome, members treat each other's development as shared work, so helping without keeping score increases.",
    "After a retrospective where mistakes were discussed openly, several developers offer to mentor colleagues on the skills that had caused problems."
  ),
  connection(
    "ECP-15",
    "divsexp",
    "popularity",
    null,
    D,
    0.5,
    "When diverse expression rises, the effect on popularity depends on context: voicing dissent can earn admiration for courage, or create friction with those whose views were challenged.",
    "A designer who pushes back on a popular proposal is praised by some colleagues for her candour and quietly resented by the proposal's author."
  ),
  connection(
    "ECP-16",
    "divsexp",
    "outresp",
    "Rise to the Occasion",
    R,
    0.82,
    "When people are free to contribute ideas and challenge plans, they show what they are capable of, so colleagues' respect for their competence rises.",
    "Given room to propose a new testing approach, a quiet team member delivers a plan that changes how the whole group sees her."
  ),
  connection(
    "ECP-17",
    "outresp",
    "grpprosp",
    "Quality Street",
    R,
    0.88,
    "When members trust each other's competence and intentions, they are more confident that the group as a whole can deliver, so group prospects rise.",
    "Knowing every part of the release is in capable hands, a team commits confidently to an ambitious delivery date."
  ),
  connection(
    "ECP-18",
    "outresp",
    "indrecip",
    "I'll Just Do It Myself",
    R,
    0.8,
    "As respect for colleagues rises, members hand work over and accept help more readily, so help circulates; when respect falls, people retreat into doing everything themselves and the helping network thins.",
    "A manager who doubts his team's skills stops asking for or offering help and works late alone, while his peers stop offering theirs."
  ),
  connection(
    "ECP-19",
    "outresp",
    "popularity",
    "Don't Dis Me Bro",
    R,
    0.75,
    "Members who show respect for colleagues' abilities are liked in return, so as outgoing respect rises, popularity rises too; visible disrespect costs goodwill.",
    "A consultant who openly values the client team's expertise is welcomed into their informal chats, while a colleague who dismisses their work is kept at arm's length."
  ),
  connection(
    "ECP-20",
    "outresp",
    "divsexp",
    "Compensatory Complacency",
    I,
    0.7,
    "When members trust colleagues highly, they feel less need to question or add their own view, so diverse expression tends to fall.",
    "Confident that the architects always get it right, developers stop raising concerns in design reviews, and a flawed assumption goes unchallenged."
  ),
  // ── Hierarchical ───────────────────────────────────────────────────────────
  connection(
    "HCP-01",
    "ownprosp",
    "dirrecip",
    null,
    D,
    0.5,
    "When personal prospects rise, the effect on favour trading depends on context: ambitious members may trade more favours to build alliances, or feel secure enough to stop bargaining.",
    "One newly promoted analyst starts trading favours widely to secure support for her next move, while another, feeling secure, stops bothering with such exchanges."
  ),
  connection(
    "HCP-02",
    "ownprosp",
    "status",
    "Short Poppies",
    I,
    0.7,
    "As a member's personal prospects rise, those above them may see a threat and clip their authority, so status tends to lag behind ambition; members with modest ambitions are left alone to keep their rank.",
    "A fast-rising team lead with obvious promotion prospects finds her sign-off authority quietly narrowed by a wary department head."
  ),
  connection(
    "HCP-03",
    "ownprosp",
    "normexp",
    "I've Got it Covered",
    I,
    0.78,
    "Members confident about their own future feel less need to play it safe, so as own prospects rise, their defence of the status quo weakens.",
    "An engineer who already has a promotion lined up proposes scrapping a long-standing approval step that others have never dared question."
  ),
  connection(
    "HCP-04",
    "ownprosp",
    "incresp",
    "Winners are Grinners",
    R,
    0.82,
    "Visible personal success signals competence, so as a member's prospects rise, they sense that others judge them more capable and trustworthy.",
    "After being picked to lead a high-profile project, a manager notices colleagues seeking her opinion far more often."
  ),
  connection(
    "HCP-05",
    "dirrecip",
    "ownprosp",
    "Strength to Your Arm",
    R,
    0.85,
    "Trading favours builds a network of allies who can back a member's ambitions, so as direct reciprocity rises, personal prospects improve.",
    "A sales rep who has covered colleagues' accounts during holidays finds them lining up to support her bid for a regional role."
  ),
  connection(
    "HCP-06",
    "dirrecip",
    "status",
    "Pick and Stick",
    R,
    0.75,
    "Loyal favour-trading partnerships turn into dependable blocs of support, so as direct reciprocity rises, members' formal standing tends to grow.",
    "Two managers who consistently back each other's budget requests both end up with larger teams and more say in planning."
  ),
  connection(
    "HCP-07",
    "dirrecip",
    "normexp",
    "Left in the Lurch",
    R,
    0.72,
    "Members invested in favour exchanges depend on existing arrangements holding steady, so as direct reciprocity rises, they defend the established norms that protect their deals.",
    "Staff who have long traded shift cover resist a new rostering system because it would leave their informal arrangements, and their partners, in the lurch."
  ),
  connection(
    "HCP-08",
    "dirrecip",
    "incresp",
    "Tits on a Bull",
    R,
    0.68,
    "Members who reliably trade and repay favours are seen as useful, so as direct reciprocity rises they feel more respected; those who stay out of the exchange come to be seen as of little use.",
    "An administrator who always returns favours is regarded as indispensable, while a colleague who never reciprocates is quietly written off."
  ),
  connection(
    "HCP-09",
    "status",
    "ownprosp",
    "Built-in Advantage",
    R,
    0.9,
    "Rank brings access, information and the benefit of the doubt, so as status rises, a member's chances of fulfilling personal ambitions rise with it.",
    "A newly appointed director hears about an upcoming vacancy weeks before others and positions himself for it."
  ),
  connection(
    "HCP-10",
    "status",
    "dirrecip",
    "More to Lose, or Gain",
    I,
    0.65,
    "Higher-status members can simply direct others and have more to lose from owing favours, so as status rises, participation in tit-for-tat exchange tends to fall; lower-status members must trade to get things done.",
    "A senior partner assigns work rather than asking for favours, while a junior associate relies on swapping tasks to meet her deadlines."
  ),
  connection(
    "HCP-11",
    "status",
    "normexp",
    "Self Interest Quo",
    R,
    0.85,
    "Those who hold power benefit from the current arrangements, so as status rises, so does the willingness to defend existing norms and resist change.",
    "A long-serving department head blocks a proposal to restructure approvals that would dilute his control over spending."
  ),
  connection(
    "HCP-12",
    "status",
    "incresp",
    "All Praise the Boss",
    I,
    0.75,
    "As status rises, praise is increasingly owed to the position rather than the person, so genuine signals of being judged competent thin out and incoming respect tends to fall.",
    "A newly promoted executive notices that everyone applauds her ideas and realises she can no longer tell what colleagues really think of her work."
  ),
  connection(
    "HCP-13",
    "normexp",
    "ownprosp",
    "Rewards of Conformity",
    R,
    0.8,
    "In settings that reward fitting in, upholding the established way of working pays off personally, so as normative expression rises, personal prospects improve.",
    "An accountant who follows every procedure to the letter is fast-tracked for promotion, while a colleague who pushes for new tools is passed over."
  ),
  connection(
    "HCP-14",
    "normexp",
    "dirrecip",
    "Predictability Preferred",
    R,
    0.85,
    "Conformity makes members predictable, and predictable partners are easy to trade favours with, so as normative expression rises, direct reciprocity strengthens.",
    "Because everyone on the ward follows the same routines, nurses can confidently swap shifts knowing exactly what the other will cover."
  ),
  connection(
    "HCP-15",
    "normexp",
    "status",
    null,
    D,
    0.5,
    "When normative expression rises, the effect on status depends on context: defending the norms can earn promotion from those who set them, or leave a member seen as a follower rather than a leader.",
    "One supervisor's strict adherence to policy earns her a seat on the leadership team, while another's is read as a lack of initiative."
  ),
  connection(
    "HCP-16",
    "normexp",
    "incresp",
    "The Right Thing",
    R,
    0.82,
    "Members who uphold accepted standards are seen as dependable and principled, so as normative expression rises, they sense more respect from others.",
    "A compliance officer who insists on proper sign-offs, even under deadline pressure, becomes the person everyone trusts to keep the team out of trouble."
  ),
  connection(
    "HCP-17",
    "incresp",
    "ownprosp",
    "External Locus of Control",
    R,
    0.78,
    "Where advancement depends on others' judgements, feeling well regarded raises a member's expectations for their own future, so own prospects rise with incoming respect.",
    "After hearing that senior leaders speak highly of his work, a project manager decides to apply for the next programme lead role."
  ),
  connection(
    "HCP-18",
    "incresp",
    "dirrecip",
    "Sulking in a Corner",
    R,
    0.75,
    "Members who feel respected engage confidently in favour exchanges, so direct reciprocity rises with incoming respect; those who feel undervalued withdraw from the exchange.",
    "A developer who believes her peers underrate her stops offering to cover for them, and they in turn stop offering to cover for her."
  ),
  connection(
    "HCP-19",
    "incresp",
    "status",
    "Inferred Status",
    R,
    0.88,
    "When others judge a member competent and trustworthy, they start treating them as senior, so status rises with incoming respect even before any formal change.",
    "A specialist whose judgement is widely trusted begins to chair meetings and set priorities, and is later given the title to match."
  ),
  connection(
    "HCP-20",
    "incresp",
    "normexp",
    "Comfortable in my Own Skin",
    I,
    0.7,
    "Members who feel secure in others' regard have less need to prove they fit in, so as incoming respect rises, their defence of established norms tends to fall.",
    "A respected senior engineer feels free to question a long-standing coding convention that less secure colleagues would never challenge."
  )
]
