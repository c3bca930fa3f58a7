import { Force, ForceId, type PillarId } from "../Schema.js"

/**
 * The forces: four facets per pillar, in the order PILAR.md lists them (pillar rows as in its table,
 * forces left to right). Ids are written out rather than derived from names so that renaming a force
 * never changes its id: stored answers refer to it.
 */
const force = (
  id: string,
  pillar: PillarId,
  name: string,
  description: string,
  highSignal: string,
  lowSignal: string
): Force => new Force({ id: ForceId.make(id), pillar, name, description, highSignal, lowSignal })

export const forces: ReadonlyArray<Force> = [
  // ── divsexp: Diverse Expression ────────────────────────────────────────────
  force(
    "divsexp.psychological-safety",
    "divsexp",
    "Psychological Safety",
    "The shared sense that speaking up, asking questions or admitting mistakes will not lead to ridicule or punishment.",
    "People admit errors and ask basic questions openly, even in front of senior colleagues.",
    "People stay silent about problems or concerns until it is too late to fix them cheaply."
  ),
  force(
    "divsexp.challenge-welcome",
    "divsexp",
    "Challenge Welcome",
    "The degree to which questioning a plan or an assumption is treated as a contribution rather than an attack.",
    "Those who question a proposal are thanked, and their points visibly shape the outcome.",
    "Objections are brushed aside or met with defensiveness, so people stop raising them."
  ),
  force(
    "divsexp.growth-mindset",
    "divsexp",
    "Growth Mindset",
    "The belief that abilities and ideas improve through effort and feedback, which makes experiments and failures acceptable.",
    "The group runs small experiments and openly reviews what it learned from the ones that failed.",
    "Failures are treated as proof of inability, so people avoid anything they might not do perfectly."
  ),
  force(
    "divsexp.constructive-dissent",
    "divsexp",
    "Constructive Dissent",
    "The practice of disagreeing in a way that offers alternatives and keeps the discussion focused on the work.",
    "Disagreements come with concrete alternatives and end in a decision that everyone can explain.",
    "Disagreement either turns personal or goes underground into side conversations."
  ),
  // ── indrecip: Indirect Reciprocity ─────────────────────────────────────────
  force(
    "indrecip.unconditional-helping",
    "indrecip",
    "Unconditional Helping",
    "Readiness to assist a colleague simply because they need it, with no expectation of a return from them.",
    "People drop what they are doing for a few minutes to unblock a colleague without being asked twice.",
    "Help is offered only when the helper can see a clear benefit for themselves."
  ),
  force(
    "indrecip.resource-fluidity",
    "indrecip",
    "Resource Fluidity",
    "How easily time, tools, information and budget move to where the group needs them most.",
    "Resources are lent across sub-teams quickly and without lengthy approval.",
    "Each sub-team guards its own resources even when another team urgently needs them."
  ),
  force(
    "indrecip.pay-it-forward-culture",
    "indrecip",
    "Pay-it-Forward Culture",
    "A norm in which people who have been helped respond by helping someone else rather than repaying the original helper.",
    "Members describe passing on support they once received to newer colleagues.",
    "Help received is treated as a private debt, and support stops where it started."
  ),
  force(
    "indrecip.reciprocity-trust",
    "indrecip",
    "Reciprocity Trust",
    "Confidence that the group as a whole will support you when you need it, even if the people you helped cannot.",
    "People ask for help readily because they expect someone in the group to respond.",
    "People hesitate to ask for help because they doubt anyone will step in."
  ),
  // ── popularity: Popularity ─────────────────────────────────────────────────
  force(
    "popularity.warmth-acceptance",
    "popularity",
    "Warmth & Acceptance",
    "The friendliness and openness with which members treat each other, including those who are different from them.",
    "Members are greeted warmly and accepted as they are, quirks included.",
    "Interactions feel cool or guarded, and some members sense they are merely tolerated."
  ),
  force(
    "popularity.informal-influence",
    "popularity",
    "Informal Influence",
    "The ability to sway decisions through relationships and goodwill rather than through a formal role.",
    "Well-liked members shift the group's thinking through conversation, without needing authority.",
    "Only people with a title can move a decision, however well others are regarded."
  ),
  force(
    "popularity.social-support",
    "popularity",
    "Social Support",
    "The emotional backing members give each other, especially when someone is under pressure.",
    "Colleagues notice when someone is struggling and reach out with encouragement or practical help.",
    "People under strain are left to cope alone, and personal difficulties go unacknowledged."
  ),
  force(
    "popularity.belonging-signals",
    "popularity",
    "Belonging Signals",
    "The everyday cues, such as invitations, inside jokes and being remembered, that tell members they are part of the group.",
    "Members are consistently included in informal gatherings, channels and celebrations.",
    "Some members regularly discover they were left out of plans or conversations."
  ),
  // ── grpprosp: Group Prospects ──────────────────────────────────────────────
  force(
    "grpprosp.collective-goal-clarity",
    "grpprosp",
    "Collective Goal Clarity",
    "How clearly and consistently members understand the goals the group has agreed to pursue.",
    "Any member can state the group's top priorities, and their answers match.",
    "Members give different or vague answers when asked what the group is trying to achieve."
  ),
  force(
    "grpprosp.team-success-belief",
    "grpprosp",
    "Team Success Belief",
    "Members' confidence that the group has what it takes to reach its goals.",
    "People speak about upcoming milestones with realistic confidence and plan on hitting them.",
    "People privately expect the group to miss its targets and plan around that outcome."
  ),
  force(
    "grpprosp.shared-future-vision",
    "grpprosp",
    "Shared Future Vision",
    "A common picture of what the group will look like and achieve in the longer term.",
    "Members describe a similar, motivating picture of where the group will be in a year or two.",
    "Nobody can say where the group is heading beyond the current deadline."
  ),
  force(
    "grpprosp.joint-accountability",
    "grpprosp",
    "Joint Accountability",
    "The sense that everyone owns the group's results together, successes and failures alike.",
    "When a goal is missed, the group reviews what it could do differently rather than naming culprits.",
    "Results are owned individually, and a miss quickly becomes someone else's fault."
  ),
  // ── outresp: Outgoing Respect ──────────────────────────────────────────────
  force(
    "outresp.peer-competence",
    "outresp",
    "Peer Competence",
    "The belief that colleagues have the skills and knowledge to do their work well.",
    "Members rely on colleagues' expertise and rarely feel the need to second-guess it.",
    "Members doubt colleagues' abilities and check or redo their work."
  ),
  force(
    "outresp.trust-in-intentions",
    "outresp",
    "Trust in Intentions",
    "The belief that colleagues act in good faith and have the group's interests at heart.",
    "When something goes wrong, people assume an honest mistake before anything else.",
    "People suspect hidden agendas behind colleagues' decisions and requests."
  ),
  force(
    "outresp.quality-street",
    "outresp",
    "Quality Street",
    "Confidence that the group's work consistently meets a standard everyone can depend on.",
    "Members hand work on to each other without extra checks because the quality is reliably there.",
    "People build in buffers and reviews because they expect others' output to need fixing."
  ),
  force(
    "outresp.delegation-confidence",
    "outresp",
    "Delegation Confidence",
    "Willingness to hand over meaningful tasks and let colleagues own them.",
    "Important work is delegated with clear outcomes and then left in the colleague's hands.",
    "People keep hold of tasks, or delegate them and then hover over every step."
  ),
  // ── normexp: Normative Expression ──────────────────────────────────────────
  force(
    "normexp.predictability-preferred",
    "normexp",
    "Predictability Preferred",
    "A preference for known routines and foreseeable outcomes over novelty and surprise.",
    "The group sticks to established processes and treats unplanned change as a risk to avoid.",
    "The group changes course readily and tolerates uncertain outcomes."
  ),
  force(
    "normexp.rewards-of-conformity",
    "normexp",
    "Rewards of Conformity",
    "The extent to which fitting in with expected behaviour is what earns praise, pay and promotion.",
    "People who follow the accepted way of doing things are the ones who get rewarded.",
    "Rewards go to results regardless of whether they were achieved in the usual way."
  ),
  force(
    "normexp.stability-preference",
    "normexp",
    "Stability Preference",
    "A desire to keep the group's structure, roles and practices steady over time.",
    "Proposals that would reshuffle roles or processes meet strong resistance.",
    "Reorganisations and new practices are accepted with little pushback."
  ),
  force(
    "normexp.norm-enforcement",
    "normexp",
    "Norm Enforcement",
    "How actively members correct or sanction colleagues who depart from accepted norms.",
    "Departures from the usual way are noticed and corrected promptly, sometimes publicly.",
    "People who ignore agreed norms face no consequence and nobody remarks on it."
  ),
  // ── dirrecip: Direct Reciprocity ───────────────────────────────────────────
  force(
    "dirrecip.conditional-help",
    "dirrecip",
    "Conditional Help",
    "Help that is given on the understanding that the recipient will return it.",
    "People help readily once the terms of the return are clear.",
    "People refuse help outright or give it without any expectation being set."
  ),
  force(
    "dirrecip.favor-trading",
    "dirrecip",
    "Favor Trading",
    "The active exchange of favours, where people keep track of what is owed and settle up.",
    "Members openly swap favours and keep an accurate account of who owes whom.",
    "Favours are rarely exchanged, or debts are forgotten and left unpaid."
  ),
  force(
    "dirrecip.pick-and-stick",
    "dirrecip",
    "Pick and Stick",
    "Choosing a few dependable exchange partners and staying loyal to them over time.",
    "Members have long-standing partners they consistently back and rely on.",
    "Alliances shift constantly, and nobody can count on a particular partner."
  ),
  force(
    "dirrecip.debt-leverage",
    "dirrecip",
    "Debt Leverage",
    "Using favours owed as a way to secure support or cooperation when it is needed.",
    "People call in past favours to win backing for their requests, and the debts are honoured.",
    "Past favours carry no weight when someone asks for support."
  ),
  // ── status: Status ─────────────────────────────────────────────────────────
  force(
    "status.formal-authority",
    "status",
    "Formal Authority",
    "The decision rights that come with a person's official role or rank.",
    "The person's role clearly entitles them to make binding decisions for others.",
    "The person's role gives them little say beyond their own tasks."
  ),
  force(
    "status.command-capacity",
    "status",
    "Command Capacity",
    "The ability to issue instructions that others actually carry out.",
    "Instructions from the person are followed promptly and without renegotiation.",
    "The person's instructions are questioned, delayed or quietly ignored."
  ),
  force(
    "status.built-in-advantage",
    "status",
    "Built-in Advantage",
    "The benefits that come automatically with rank, such as access, information and the benefit of the doubt.",
    "The person hears news first and has their proposals taken seriously by default.",
    "The person must work hard for access and information that others receive automatically."
  ),
  force(
    "status.control-of-resources",
    "status",
    "Control of Resources",
    "Authority over budgets, staff, equipment or time that others need to do their work.",
    "Others must come to the person to obtain the people, money or tools they need.",
    "The person controls few resources and depends on others to allocate them."
  ),
  // ── ownprosp: Own Prospects ────────────────────────────────────────────────
  force(
    "ownprosp.personal-advancement",
    "ownprosp",
    "Personal Advancement",
    "The availability of a credible path to promotion, development or a bigger role within the group.",
    "The person sees a clear route to their next role and the steps needed to reach it.",
    "The person sees no realistic route forward while staying in the group."
  ),
  force(
    "ownprosp.credit-attribution",
    "ownprosp",
    "Credit Attribution",
    "How fairly and visibly individual contributions are credited to the people who made them.",
    "Contributions are named accurately in reviews, reports and announcements.",
    "Credit for the person's work regularly ends up with someone else."
  ),
  force(
    "ownprosp.self-serving-goals",
    "ownprosp",
    "Self-Serving Goals",
    "The extent to which a person pursues objectives that advance their own position.",
    "The person chooses tasks and projects mainly for what they will do for their own career.",
    "The person takes on work with little regard for how it affects their own standing."
  ),
  force(
    "ownprosp.incentive-alignment",
    "ownprosp",
    "Incentive Alignment",
    "How well the rewards the group offers match what the person actually wants.",
    "The pay, recognition and opportunities on offer are exactly what motivates the person.",
    "The rewards on offer hold little appeal, so extra effort feels pointless."
  ),
  // ── incresp: Incoming Respect ──────────────────────────────────────────────
  force(
    "incresp.perceived-competence",
    "incresp",
    "Perceived Competence",
    "How capable the person believes others consider them to be.",
    "Colleagues consult the person on difficult questions in their field.",
    "The person senses that colleagues doubt their ability and check their work."
  ),
  force(
    "incresp.reputation-management",
    "incresp",
    "Reputation Management",
    "The effort a person puts into shaping how others perceive their work and character.",
    "The person deliberately shares successes and manages first impressions with key stakeholders.",
    "The person pays little attention to how their work is perceived or reported."
  ),
  force(
    "incresp.external-locus-of-control",
    "incresp",
    "External Locus of Control",
    "The belief that one's standing is decided mainly by others' judgements rather than by one's own actions.",
    "The person feels their reputation rests chiefly on what influential colleagues say about them.",
    "The person feels their standing follows from their own work, whatever others say."
  ),
  force(
    "incresp.visibility-of-delivery",
    "incresp",
    "Visibility of Delivery",
    "How visible a person's completed work is to the people whose opinion matters in the group.",
    "The person's results are regularly seen and discussed by decision-makers.",
    "The person's results go unnoticed beyond their immediate colleagues."
  )
]
