import type { ModeId, PillarId } from "../pilar/Schema.js"
import type { KnowledgeCategory } from "./Schema.js"

/**
 * The written part of the knowledge corpus: practical guidance and explanations that the PILAR
 * dataset does not carry. Everything here is our own text. Facts about pillars, forces and
 * connections (names, measures, descriptions, examples) are NOT repeated here: ./corpus.ts derives
 * those chunks from the dataset. Names are mentioned only where advice refers to them.
 */

/** Three passages per pillar: how to raise it when low, keep it healthy when high, and what to watch for. */
export interface PillarGuidance {
  readonly raise: string
  readonly sustain: string
  readonly watch: string
}

export const pillarGuidance: { readonly [P in PillarId]: PillarGuidance } = {
  grpprosp: {
    raise:
      "When Group Prospects is low, start with clarity before motivation. Ask each member to write the group's main goal in one sentence and compare the answers; the gaps are your agenda. Agree on one or two goals, make progress visible with a simple shared tracker and break distant targets into milestones a few weeks away. Early, visible wins rebuild belief faster than speeches. Invite doubters to say what would make the plan credible: their objections often point to the missing resource or step.",
    sustain:
      "When belief in the group's future is high, protect it by keeping it honest. Revisit goals at a regular rhythm so they stay shared as people join and priorities shift. Celebrate milestones as collective achievements and name how different members contributed. Keep a visible line between daily work and the long-term vision, for example by opening planning sessions with where the group is heading and why. Confidence lasts when it is tested against real progress rather than repeated as a slogan.",
    watch:
      "Very high Group Prospects can tip into complacency. A confident group tends to listen less to challenging ideas, and the close personal bonds that formed under pressure may loosen once things feel secure. Watch for plans nobody questions, risks that are waved away and warmth that fades after the crisis. Falling prospects carry their own hazard: blame. When the outlook dims, steer the conversation away from who caused the problem and toward what the group will do next."
  },
  indrecip: {
    raise:
      "To grow help that circulates freely, make asking safe and visible. Leaders can model it by asking for help in public and thanking helpers by name. Create low-cost channels for requests, such as a shared help thread or open office hours, so that help does not depend on knowing the right person. Pair newcomers with several colleagues rather than a single buddy. Recognise people who unblock others, not only those who deliver their own tasks; what gets noticed is what spreads.",
    sustain:
      "A healthy pay-it-forward culture needs capacity as well as goodwill. Protect some slack in schedules so that helping does not always mean working late. Make sure help flows in many directions instead of always landing on the same few generous people, and rotate who answers common questions. Tell the stories of help being passed on, so newer members learn that this is how the group works. Check from time to time that people still feel able to ask without owing anyone.",
    watch:
      "High Indirect Reciprocity can hide overload. The most helpful members may quietly absorb everyone's problems until they burn out, and constant interruptions crowd out focused work. Watch for people who never say no, and for free riders who take help without ever passing it on; left unchecked, that erodes trust in the whole system. A drop in this pillar can also follow falling respect: when people stop believing colleagues are capable, they stop handing work over and the helping network thins."
  },
  popularity: {
    raise:
      "Warmth in a group is built from small, repeated signals. Greet people by name, remember what they told you last week and include quieter or newer members in informal conversations and invitations. When someone's suggestion gets ignored, pick it up and credit them. Create moments that are not about tasks, such as a short check-in round at the start of meetings. If you personally feel unliked, begin by showing genuine interest in other people's work; appreciation tends to be returned.",
    sustain:
      "When members feel liked and welcome, keep the circle open. Established friendships can quietly turn into cliques that newcomers struggle to enter, so widen invitations deliberately and mix who works with whom. Keep checking in on people under pressure, because social support matters most when it is least convenient to give. Use the goodwill you have earned to back good ideas from others, not only your own. Warm relationships are a resource for the whole group, not a reward for insiders.",
    watch:
      "Popularity has hidden costs. Well-liked members get pulled into so many conversations that they have less time left to help others, and the wish not to disappoint can make them cling to work instead of trusting colleagues with it. Watch also for decisions carried by charm rather than evidence, and for people who avoid necessary disagreement to stay liked. Being liked should widen a person's influence, not narrow what they are willing to say."
  },
  divsexp: {
    raise:
      "To open up diverse expression, lower the cost of speaking first. Collect written or anonymous input before a discussion so that the first loud opinion does not anchor everyone. Ask the most senior person to speak last. Appoint a rotating devil's advocate, so challenge becomes a role rather than a personal risk. When someone admits a mistake or raises a concern, thank them publicly and act on at least part of it. People judge safety by what happened to the last person who spoke up.",
    sustain:
      "When people already feel free to disagree, keep dissent productive. Ask challengers to bring an alternative, not only an objection, and close debates with a clear decision and its reasons, so disagreement ends instead of lingering. Record the options considered. Keep running small experiments and reviewing failures openly. Check whether new and quieter members share the confidence the regulars feel: a high average can hide a few people who still stay silent.",
    watch:
      "High Diverse Expression can slide into endless debate, where every decision is reopened and nothing ships. Watch for challenge used to score points rather than improve the work, and for disagreement that turns personal and costs goodwill. Paradoxically, very high trust in colleagues can quietly reduce questioning, because people assume the experts have it right. And when the group's prospects look very secure, its appetite for new ideas often fades without anyone deciding it should."
  },
  outresp: {
    raise:
      "Respect for colleagues grows from evidence, so create chances to see each other's work. Pair people on tasks, run short demos and make expertise visible with a simple map of who knows what. Delegate a bounded task with a clear outcome and agreed check-in points, then resist the urge to redo it. When something goes wrong, ask what happened before deciding why; assuming an honest mistake first is a habit that can be practised. Trust extended in small steps tends to be repaid.",
    sustain:
      "Where people already trust each other's competence and intentions, keep that trust calibrated. Agree on shared quality standards so that reliance rests on something concrete, and keep light reviews for high-risk work without turning them into checks on people. Acknowledge good work specifically, so respect is spoken rather than assumed. When a new member joins, give them early, visible chances to show what they can do, so they enter the circle of trust quickly.",
    watch:
      "Very high Outgoing Respect can become blind trust: people stop raising concerns because they assume colleagues always get it right, and flawed assumptions slip through. Keep some healthy challenge alive, especially around critical decisions. At the other extreme, low respect pushes people toward doing everything themselves, which overloads them and starves the helping network. Watch too for respect that depends on results: when a project slips, it can collapse into a search for someone to blame."
  },
  ownprosp: {
    raise:
      "To lift a member's own prospects, make the path visible. Hold a career conversation that names a concrete next role and the skills or results it requires, then agree on a first step within the next few months. Make sure contributions are credited accurately in reviews, updates and announcements; misplaced credit is one of the fastest ways to drain ambition. Ask which rewards actually motivate the person, since promotion, new skills and more autonomy appeal to different people.",
    sustain:
      "When someone sees a bright future for themselves in the group, keep the promises credible. Follow through on the development and advancement steps you discussed, and explain openly when plans change. Keep credit accurate even when that is inconvenient for senior people. Give ambitious members stretch work that also serves the group, so personal and collective goals point the same way. Revisit incentives occasionally, because what motivates someone often changes as they progress.",
    watch:
      "Strong personal ambition is healthy until it crowds out the group. Watch for self-serving choices: picking only visible projects, hoarding credit or dodging necessary but unglamorous work. A rising member can also be seen as a threat by those above, who may quietly trim their authority. When own prospects are low, look for early signs of disengagement, such as withdrawal from discretionary effort or a search for recognition elsewhere, often shortly before someone resigns."
  },
  dirrecip: {
    raise:
      "In ranked settings, conditional help works only when deals are clear and honoured. Be explicit about what you can offer and what you would value in return, keep track of what you owe and repay promptly. Start with small, low-risk exchanges to build a record of reliability. Choose a few partners whose needs complement yours and invest in them over time. If you feel shut out of the exchange, offer something scarce, such as expertise, time or access, to get in.",
    sustain:
      "When favour trading works well, keep it fair and transparent enough that it does not harden into exclusion. Settle debts rather than letting them pile up, and avoid calling in a favour for a request that would embarrass the other person. Loyal partnerships are a strength, but check that people outside the established alliances still have someone to turn to. Where an exchange becomes routine, consider turning it into an agreed process so the group no longer depends on private deals.",
    watch:
      "High Direct Reciprocity can make help feel like a market where nothing is free. Watch for debts used as pressure, for favours traded against the group's interests and for alliances that resist useful change because it would disturb their deals. Low scores carry the opposite risk: members outside the exchange feel undervalued, withdraw further and may be written off as unhelpful. Neither extreme serves the group; aim for exchanges that are reliable, visible and open to newcomers."
  },
  status: {
    raise:
      "If your formal influence is low, first clarify what you are entitled to decide. Ask for your decision rights to be written down, and use them consistently so that others learn to rely on them. Build credibility through results that decision-makers can see; being judged competent often comes before formal seniority. Seek control of a small budget, process or resource that others need. When asking for more authority, frame the request around what the group gains when decisions are made closer to the work.",
    sustain:
      "Holding high status brings the responsibility to use it well. Explain the reasons behind instructions where time allows, so compliance does not rest on rank alone. Delegate decisions that do not need your sign-off, because a bottleneck around one person slows the whole group. Share the information your position gives you rather than keeping it as an advantage. Seek honest feedback deliberately, since rank tends to filter out candid views and leaves the powerful hearing mostly applause.",
    watch:
      "Status tends to protect itself. People with power often grow more willing to defend the arrangements that put them there, and the advantages of rank compound into further personal gain. Watch for decisions that happen to favour the decision-maker, for praise that is really deference and for juniors who have stopped pushing back. Among people with little status, watch for learned helplessness: the belief that nothing can change unless someone senior acts first."
  },
  normexp: {
    raise:
      "Where norms are weak and everyone works their own way, agree on a small set of standards that really matter, such as how work is handed over, reviewed and recorded. Write them down, explain why each one exists and apply them evenly, including to senior members. Recognise people who keep standards under pressure. Shared routines reduce friction and make people predictable to each other, which in turn makes it easier to cooperate and exchange help with confidence.",
    sustain:
      "When a group values its norms, keep them alive by reviewing them. Set a regular moment, perhaps once a quarter, to ask which rules still serve their purpose and which survive only from habit. Enforce standards privately and respectfully rather than through public correction. Offer an agreed route for proposing a change to a norm, so people who want change do not have to fight the whole system. Stability is most valuable when it is chosen, not imposed.",
    watch:
      "High Normative Expression can shut out needed change. Watch for new ideas rejected because they are new, for people rewarded for fitting in rather than for results and for public correction that makes others afraid to deviate even when the rule is wrong. Ask who benefits from a norm staying as it is. Its egalitarian counterpart, Diverse Expression, is the natural balance: a group that defends its standards also needs safe routes for dissent."
  },
  incresp: {
    raise:
      "If you feel colleagues underrate you, start by making your work visible. Send short updates on results to the people whose opinion matters, present your work at reviews and document the decisions you influenced. Ask a trusted colleague for candid feedback on how you come across, so you act on evidence rather than worry. Choose a visible task in your area of strength and deliver it well. Respect tends to follow reliable delivery that people can actually see.",
    sustain:
      "When you feel well regarded, keep that reputation anchored in delivery. Go on sharing results, but let the work speak more than the self-promotion. Use your standing to draw attention to colleagues' contributions; secure members are also well placed to question outdated norms and to back new ideas others would not risk. Check now and then that your self-image matches what colleagues actually say, because expectations shift and a good reputation can quietly be outgrown.",
    watch:
      "Incoming Respect can pull a lot of effort into impression management. Watch for time spent making work look good rather than doing it, and for an external locus of control: the feeling that your standing depends entirely on what influential people say. Members who feel undervalued often withdraw from cooperation, which then confirms the poor impression. Senior people face a different trap: praise aimed at their position can be mistaken for genuine regard."
  }
}

/** Two passages per mode: how to work well in it, and its characteristic pitfalls. */
export interface ModeGuidance {
  readonly practice: string
  readonly pitfalls: string
}

export const modeGuidance: { readonly [M in ModeId]: ModeGuidance } = {
  egalitarian: {
    practice:
      "Working well in egalitarian mode means influencing without authority. Build relationships before you need them, share what you know freely and give credit generously, because your influence rests on trust and goodwill. Make decisions in the open, invite challenge and explain your reasoning. Agree on shared goals explicitly, since no single person will set them for you. Help without keeping score, but ask for help too: a network in which everyone gives and nobody asks is not really reciprocal.",
    pitfalls:
      "Egalitarian groups have characteristic failure modes. Decisions drift when nobody feels entitled to close a debate, and consensus can turn into a veto for the most stubborn member. Informal influence can become a popularity contest in which well-connected members dominate without accountability, while generous helpers are overloaded. Keep a clear way of deciding when agreement runs out, make expectations explicit even among peers and notice who is quietly left outside the circle."
  },
  hierarchical: {
    practice:
      "Working well in hierarchical mode means using the structure rather than fighting it. Know who decides what, and bring proposals to the right level with the evidence that person needs. Keep your commitments and return favours reliably, since cooperation runs on dependable exchange. Make your results visible to decision-makers and check that credit lands accurately. If you hold authority, give clear instructions with their reasons, and protect channels through which juniors can raise problems without risk.",
    pitfalls:
      "Hierarchies fail in recognisable ways. Bad news stalls on its way up because nobody wants to tell the boss. Rewards for conformity freeze useful change, and those at the top tend to defend arrangements that benefit them. Favour networks exclude people without allies, and ambitious members may chase personal credit at the group's expense. Counter these with clear escalation routes, transparent criteria for rewards and promotion, and leaders who actively ask to be criticised."
  }
}

/** A written cross-cutting passage (no pillar, no mode unless stated). */
export interface WrittenPassage {
  /** The id's last segment: the chunk id is `<category>:<slug>`. */
  readonly slug: string
  readonly category: Extract<KnowledgeCategory, "guidance" | "scoring">
  readonly title: string
  readonly text: string
  readonly keywords?: ReadonlyArray<string>
}

/** How to read scores, bands, reverse-keyed items and connection effects. */
export const scoringPassages: ReadonlyArray<WrittenPassage> = [
  {
    slug: "scale",
    category: "scoring",
    title: "How answers become 0–100 scores",
    text: "Every PILAR score starts from answers on a five-point scale, from Strongly disagree (1) to Strongly agree (5). For each force and pillar the answers are averaged and converted to a score from 0 to 100 with the formula (mean − 1) ÷ 4 × 100. An average of 1 becomes 0, an average of 3 becomes 50 and an average of 5 becomes 100. The conversion is linear, so ten points always mean the same change in average agreement.",
    keywords: ["Likert", "calculation", "formula", "score"]
  },
  {
    slug: "bands",
    category: "scoring",
    title: "Score bands: low, mid and high",
    text: "Scores are grouped into three bands for feedback. Below 40 is low, from 40 to 70 is mid and above 70 is high, so a score of exactly 40 or exactly 70 counts as mid. Bands make results easier to discuss but hide detail: 39 and 41 land in different bands although they barely differ. Treat a score near a boundary as borderline, and look at the force scores and concrete examples behind it before drawing conclusions.",
    keywords: ["thresholds", "low score", "high score", "band"]
  },
  {
    slug: "low-scores",
    category: "scoring",
    title: "Reading a low score",
    text: "A low score, under 40, means respondents mostly disagreed that the pillar's typical behaviours happen in their group. Treat it as a prompt for conversation rather than a verdict. Find which forces pull the score down, collect recent situations that explain it and ask whether the reading even matters for this group's mode and purpose. A low Normative Expression score, for instance, may be perfectly welcome in a team whose job is to innovate.",
    keywords: ["low band", "under 40", "interpretation"]
  },
  {
    slug: "mid-scores",
    category: "scoring",
    title: "Reading a mid-range score",
    text: "A mid score, between 40 and 70, is the most common result and the hardest to interpret. It may reflect moderate agreement across the board, or sharp disagreement between respondents that averages out to the middle. Look at the spread of answers and at the four force scores. A middling pillar with one very weak force has a specific problem to address, while evenly middling forces suggest the pillar is simply not a strong feature of the group.",
    keywords: ["mid band", "average", "40 to 70", "interpretation"]
  },
  {
    slug: "high-scores",
    category: "scoring",
    title: "Reading a high score",
    text: "A high score, above 70, means the pillar's behaviours are clearly present. That is usually a strength, though rarely an unmixed one: many pillars carry costs when pushed far, such as complacency when Group Prospects is very high or blind trust when Outgoing Respect is. Treat high scores as resources to build on, and check the inverse connections leaving that pillar to see what it may be holding down elsewhere in the group.",
    keywords: ["high band", "over 70", "strength", "interpretation"]
  },
  {
    slug: "reverse-keyed",
    category: "scoring",
    title: "Reverse-keyed questions",
    text: "Some questionnaire items are reverse-keyed: they describe the opposite of the behaviour a force captures, so agreeing with them should lower the score. Their answers are flipped before averaging, turning 1 into 5, 2 into 4 and leaving 3 unchanged. Mixing directions guards against respondents agreeing with everything out of habit. If a score looks surprising, check whether a reverse-keyed statement was misread; these items deserve to be read slowly.",
    keywords: ["reverse scored", "negatively worded", "flipped", "questionnaire"]
  },
  {
    slug: "forces-and-pillars",
    category: "scoring",
    title: "Reading force scores beside pillar scores",
    text: "Each pillar is rated through four forces, the facets that questions probe, and force scores use the same 0–100 scale and bands. Reading them side by side explains why a pillar scores as it does. A mid Diverse Expression score could combine strong Growth Mindset with weak Psychological Safety, which calls for very different action than the reverse. Start improvement work at the weakest force rather than at the pillar as a whole.",
    keywords: ["facets", "breakdown", "drill down"]
  },
  {
    slug: "reinforce",
    category: "scoring",
    title: "Reinforce connections",
    text: "A Reinforce connection means the target pillar tends to move in the same direction as its source. When the source rises the target is pushed up, and when it falls the target is dragged down. Chains of reinforcing links can create virtuous or vicious circles: respect for colleagues lifts belief in the group, and a confident group in turn credits its members more. Reinforcement is the most common kind of link in both modes.",
    keywords: ["R", "same direction", "positive link", "virtuous circle"]
  },
  {
    slug: "inverse",
    category: "scoring",
    title: "Inverse connections",
    text: "An Inverse connection means the target tends to move against its source: as the source rises the target falls, and as the source falls the target rises. Inverse links describe trade-offs, for instance a confident group becoming less open to challenging ideas. They do not mean something is broken; they show what a strength may cost. Before working to raise a pillar, check its inverse links so you can anticipate side effects and decide how to balance them.",
    keywords: ["I", "opposite direction", "negative link", "trade-off"]
  },
  {
    slug: "discretionary",
    category: "scoring",
    title: "Discretionary connections",
    text: "A Discretionary connection has no fixed direction: whether the target rises or falls with its source depends on the people and the situation. These links have no name and carry a neutral strength of 0.50. To reason about one, look at how the group actually behaves. Growing confidence might free people to help more, or convince them someone else has things covered. Ask the group which way it has gone for them.",
    keywords: ["D", "context dependent", "unnamed", "depends"]
  },
  {
    slug: "strength",
    category: "scoring",
    title: "Connection strength",
    text: "Each connection has a strength between 0 and 1 describing how strongly the source tends to move the target. Coaching weights predicted effects by it: a high source score pushes a target linked at 0.90 much harder than one linked at 0.65. Strength expresses a typical tendency, not a certainty. Use it to decide which knock-on effects deserve attention first, then confirm them against what actually happens in the group.",
    keywords: ["weight", "how strong", "0 to 1"]
  },
  {
    slug: "propagation",
    category: "scoring",
    title: "Following connections through a profile",
    text: "To think through how a profile may evolve, follow the connections out of its most extreme scores. A high source pillar predicts upward pressure on its reinforcing targets and downward pressure on its inverse targets, each weighted by strength; a low source predicts the opposite. Effects travel beyond one step, because every target is also a source. Treat the result as hypotheses to test with the group, since real groups also respond to events outside the framework.",
    keywords: ["knock-on effects", "predict", "ripple", "network"]
  },
  {
    slug: "comparing-members",
    category: "scoring",
    title: "When members' scores differ",
    text: "Scores from members of the same group rarely match, and the differences carry information. A leader who rates Diverse Expression at 80 while the team rates it at 45 is seeing a different group from the one others experience. Compare distributions rather than single numbers, protect anonymity when sharing results and never use PILAR scores to rank or appraise individuals. The framework describes group dynamics, not personal performance.",
    keywords: ["disagreement", "perception gap", "anonymity", "team results"]
  },
  {
    slug: "over-time",
    category: "scoring",
    title: "Tracking scores over time",
    text: "A single profile is a snapshot. Repeating the assessment after a few months shows whether deliberate changes are working. Expect movements of a few points to be noise; look instead for consistent shifts across several forces of the same pillar, and for changes in linked pillars that the connections would predict. Note what the group tried between assessments, so that changes in the profile can be tied to actions rather than guessed at.",
    keywords: ["reassessment", "progress", "trend", "repeat"]
  }
]

/** Practical guidance that spans pillars or modes. */
export const generalGuidance: ReadonlyArray<WrittenPassage> = [
  {
    slug: "mixed-modes",
    category: "guidance",
    title: "Groups that run in both modes",
    text: "Most real groups operate in both modes at once. A team may debate ideas as peers in a workshop and still need a manager's sign-off for its budget. Reading a PILAR profile means asking which mode dominates in which situation, and whether that suits the work. Uncertain, creative problems usually benefit from egalitarian habits; routine, high-risk or time-critical work often benefits from clear hierarchy. Trouble starts when people assume different modes for the same decision.",
    keywords: ["both modes", "hybrid", "switching modes"]
  },
  {
    slug: "debrief",
    category: "guidance",
    title: "Debriefing results with a group",
    text: "Debriefing a PILAR profile works best as a conversation, not a verdict. Share the results after people have had time to read them alone. Begin with the highest scores and what they say the group does well, then turn to the lowest. For each, ask for one recent example that fits and one that contradicts it. Agree on a single pillar to work on, one concrete experiment and a date to look again.",
    keywords: ["team workshop", "feedback session", "discuss results"]
  },
  {
    slug: "choosing-a-focus",
    category: "guidance",
    title: "Choosing which pillar to work on first",
    text: "When several pillars score low, resist fixing them all at once. Choose the one that matters most for the group's work and that you can influence in the next few weeks. Use the connections to decide: a pillar with strong reinforcing links, such as Diverse Expression feeding belief in the group's prospects, can lift several scores together. One visible change tried consistently beats many resolutions nobody remembers a month later.",
    keywords: ["prioritise", "where to start", "action plan"]
  },
  {
    slug: "answering-honestly",
    category: "guidance",
    title: "Answering the assessment well",
    text: "A PILAR score describes how you perceived your group when you answered, not a fixed trait of you or your colleagues. Answer about what typically happens rather than what should happen or what happened once. If your scores differ sharply from colleagues' on the same pillar, the difference itself is useful: you may sit in a different part of the group's network, or experiences may be unevenly shared.",
    keywords: ["self-assessment", "questionnaire", "how to answer"]
  },
  {
    slug: "leaders",
    category: "guidance",
    title: "How leaders shape the pillars",
    text: "Leaders shape every pillar, usually more than they realise. Their reaction to the first person who disagrees sets the tone for dissent; how they hand out credit affects everyone's sense of their own prospects; whether they delegate signals how much they trust the team. A useful habit is to take one pillar each quarter and ask the team what the leader does that raises or lowers it. Leaders should expect their own view to be rosier.",
    keywords: ["manager", "leadership", "team lead"]
  },
  {
    slug: "remote-teams",
    category: "guidance",
    title: "Remote and distributed teams",
    text: "Remote and distributed groups lose many of the informal signals PILAR depends on. Belonging cues, hallway help and visible delivery do not happen by accident online. Make them deliberate: a channel for asking for help, short demos where work is shown, rituals that include every time zone and explicit recognition in shared spaces. Watch Popularity, Indirect Reciprocity and Visibility of Delivery in particular, since they tend to fall first when people rarely meet.",
    keywords: ["hybrid work", "virtual team", "working from home", "isolation"]
  },
  {
    slug: "newcomers",
    category: "guidance",
    title: "Onboarding newcomers",
    text: "New members read a group's pillars quickly and adapt to them, so onboarding is a cheap moment to set good patterns. Introduce newcomers to several helpers rather than one, show them how disagreement is handled, explain which norms matter and why, and give them an early task whose results others will see. After a month, ask what surprised them: fresh eyes often spot weak pillars that long-standing members stopped noticing.",
    keywords: ["new hire", "onboarding", "joining a team"]
  },
  {
    slug: "leading-change",
    category: "guidance",
    title: "Introducing change",
    text: "Introducing change touches several pillars at once. Expect resistance where Normative Expression and Status are high, because people with rank and those rewarded for conformity have most invested in the current way. Involve them early, explain what will stay stable and show how the change serves their interests too. In egalitarian groups, change spreads faster when well-liked members champion it and when sceptics can see that their objections shaped the plan.",
    keywords: ["resistance to change", "transformation", "reorganisation"]
  }
]

/**
 * Plain-language search terms learners use for a chunk's subject that the chunk's own text does
 * not contain (added to its `keywords`). Keyed by chunk id; tests check every key exists.
 */
export const searchTerms: { readonly [chunkId: string]: ReadonlyArray<string> } = {
  "mode:egalitarian": ["flat structure", "peers", "difference between modes"],
  "mode:hierarchical": ["hierarchy", "chain of command", "ranked", "difference between modes"],
  "guidance:egalitarian:pitfalls": ["flat teams", "decision making", "consensus", "struggle"],
  "guidance:hierarchical:practice": ["hierarchy", "working with a boss", "tips"],
  "pillar:divsexp:low": ["afraid to speak up", "silence", "disagree", "groupthink"],
  "force:divsexp.psychological-safety": ["afraid", "fear", "speak up", "disagree", "meetings"],
  "pillar:indrecip:low": ["nobody helps", "what's in it for me", "selfish"],
  "force:indrecip.unconditional-helping": ["nobody helps", "something in return", "selfless"],
  "pillar:outresp:low": ["redo", "micromanage", "don't trust", "double-check"],
  "force:outresp.peer-competence": ["redoing work", "don't trust colleagues", "quality"],
  "force:outresp.delegation-confidence": ["delegate", "letting go", "micromanage"],
  "guidance:outresp:raise": ["delegate", "learn to trust", "micromanaging"],
  "guidance:grpprosp:watch": ["complacent", "overconfident", "complacency"],
  "guidance:status:raise": ["authority", "decision rights", "more power", "influence"],
  "guidance:normexp:watch": ["resistance to change", "resists", "new ideas", "stuck in our ways"],
  "guidance:leading-change": ["resists change", "new way of working", "change management"],
  "force:incresp.visibility-of-delivery": ["unnoticed", "management", "recognition", "invisible work"],
  "guidance:incresp:raise": ["unnoticed", "recognition", "underrated", "visibility"],
  "connection:ecp-20": ["too much trust", "nobody questions", "blind trust", "complacency"],
  "pillar:incresp:incoming": ["what drives", "influenced by", "causes"],
  "pillar:outresp:outgoing": ["affects", "consequences", "what it affects"],
  "force:ownprosp.credit-attribution": ["takes credit", "stolen credit", "recognition"],
  "force:ownprosp.personal-advancement": ["promotion", "career path", "career growth"],
  "force:status.command-capacity": ["ignored instructions", "nobody listens", "orders"],
  "force:normexp.norm-enforcement": ["told off", "procedure", "rules", "corrected"]
}
