import { Pillar } from "../Schema.js"

/**
 * The ten pillars: one per dimension per mode. Egalitarian first (P, I, L, A, R), then hierarchical
 * in the same dimension order. `counterpart` is the pillar of the same dimension in the other mode.
 */
export const pillars: ReadonlyArray<Pillar> = [
  // ── Egalitarian ────────────────────────────────────────────────────────────
  new Pillar({
    id: "grpprosp",
    mode: "egalitarian",
    dimension: "prospects",
    title: "Group Prospects",
    abbreviation: "GrpProsp",
    counterpart: "ownprosp",
    measures: "How strongly members believe the group as a whole will achieve the goals it has agreed on together.",
    description:
      "Group Prospects captures shared optimism about where the team is heading. When it is strong, people understand the common goal, feel they own it jointly and expect to get there together. When it is weak, goals feel vague or out of reach and members start hedging their bets.",
    highLooksLike: [
      "People refer to goals as \"our\" targets and can state them in the same words.",
      "Setbacks are discussed as problems the team will solve rather than as signs of failure.",
      "Members volunteer for work outside their role because it moves the shared goal forward."
    ],
    lowLooksLike: [
      "Different members describe the team's priorities in conflicting ways.",
      "Conversations drift toward protecting individual results instead of the team's outcome.",
      "People voice doubt that the current plan will work but nobody proposes an alternative."
    ],
    reflectiveQuestions: [
      "Could I explain our group's main goal in one sentence, and would my colleagues say the same?",
      "How confident am I, honestly, that we will reach it together?",
      "What have I done this week that only makes sense if the whole group succeeds?"
    ]
  }),
  new Pillar({
    id: "indrecip",
    mode: "egalitarian",
    dimension: "involved",
    title: "Indirect Reciprocity",
    abbreviation: "IndRecip",
    counterpart: "dirrecip",
    measures: "How willing members are to help others without expecting the same person to pay them back.",
    description:
      "Indirect Reciprocity is about help that circulates. Members assist whoever needs it, trusting that support will come back to them from somewhere in the group when they need it. A high level keeps knowledge and effort moving; a low level turns every request into a negotiation.",
    highLooksLike: [
      "People answer questions and unblock colleagues without asking what is in it for them.",
      "Time, tools and information are shared across sub-teams without formal requests.",
      "Newcomers are helped by many people, not only by their assigned buddy."
    ],
    lowLooksLike: [
      "Requests for help are met with questions about whose budget or priority it is.",
      "People keep mental tallies of who owes them and mention them in discussions.",
      "Useful knowledge stays with individuals because nobody offers to pass it on."
    ],
    reflectiveQuestions: [
      "When did I last help someone in the group knowing I would get nothing back from them directly?",
      "Do I expect the group to support me if I am stuck, and why?",
      "Is there knowledge or time I am holding back that others could use?"
    ]
  }),
  new Pillar({
    id: "popularity",
    mode: "egalitarian",
    dimension: "liked",
    title: "Popularity",
    abbreviation: "Pop",
    counterpart: "status",
    measures: "How strongly members believe that others in the group like them and enjoy working with them.",
    description:
      "Popularity reflects the warmth of the relationships a person holds in the group. In egalitarian settings, being liked is a main route to influence: people listen to those they enjoy working with, not to those with the highest title. Low popularity leaves members feeling tolerated rather than welcomed, and their ideas travel less far.",
    highLooksLike: [
      "Members are regularly invited into informal conversations, lunches or side projects.",
      "Colleagues seek out particular people for advice even when it is not their job to give it.",
      "People greet each other by name and check in on each other beyond work topics."
    ],
    lowLooksLike: [
      "Some members are left out of informal chats and learn news later than others.",
      "Suggestions from certain people are routinely ignored until someone else repeats them.",
      "Interactions stay strictly transactional, with little warmth or humour."
    ],
    reflectiveQuestions: [
      "Do I feel that people in this group genuinely enjoy having me around?",
      "Whose opinion do I seek out informally, and who seeks out mine?",
      "What small things could I do to make others feel welcome?"
    ]
  }),
  new Pillar({
    id: "divsexp",
    mode: "egalitarian",
    dimension: "agency",
    title: "Diverse Expression",
    abbreviation: "DivsExp",
    counterpart: "normexp",
    measures: "How confident members are that ideas which challenge the prevailing view will be heard and taken seriously.",
    description:
      "Diverse Expression is the group's capacity to hear dissent and novelty. It rests on psychological safety: people can question a decision, admit a mistake or float an unusual idea without fearing embarrassment or punishment. Where it is high, the group learns and innovates; where it is low, the loudest or first opinion tends to win.",
    highLooksLike: [
      "Junior or quieter members openly question a plan in meetings.",
      "Mistakes are raised early and discussed as learning rather than hidden.",
      "Decisions record the alternatives that were considered and why they were rejected."
    ],
    lowLooksLike: [
      "Meetings end in quick agreement, followed by private complaints afterwards.",
      "People preface ideas with long apologies or do not raise them at all.",
      "The same few voices set the direction in almost every discussion."
    ],
    reflectiveQuestions: [
      "When did I last disagree openly in this group, and how was it received?",
      "Is there an idea I have held back because I feared how others would react?",
      "How do I respond when someone challenges a view I hold?"
    ]
  }),
  new Pillar({
    id: "outresp",
    mode: "egalitarian",
    dimension: "respect",
    title: "Outgoing Respect",
    abbreviation: "OutResp",
    counterpart: "incresp",
    measures: "How strongly a member believes colleagues are competent and trustworthy enough to rely on and delegate to.",
    description:
      "Outgoing Respect is the trust a person extends to others. It combines confidence in colleagues' skills with confidence in their intentions. When it is high, work can be handed over cleanly and people stop double-checking each other; when it is low, members hoard tasks, micro-manage or quietly redo others' work.",
    highLooksLike: [
      "Work is handed over with a clear brief and without repeated follow-up checks.",
      "People credit colleagues' expertise and defer to it in their area.",
      "Members assume good intentions when a colleague makes a mistake."
    ],
    lowLooksLike: [
      "People redo or heavily review work that others have already completed.",
      "Tasks pile up with a few individuals who do not trust anyone else to do them.",
      "Errors by colleagues are attributed to carelessness or hidden motives."
    ],
    reflectiveQuestions: [
      "Which colleagues would I trust to finish an important task without my checking it?",
      "When someone makes a mistake, what do I assume about why it happened?",
      "What work am I holding on to that someone else could do well?"
    ]
  }),
  // ── Hierarchical ───────────────────────────────────────────────────────────
  new Pillar({
    id: "ownprosp",
    mode: "hierarchical",
    dimension: "prospects",
    title: "Own Prospects",
    abbreviation: "OwnProsp",
    counterpart: "grpprosp",
    measures: "How likely a member believes it is that they will achieve their personal ambitions within the group.",
    description:
      "Own Prospects is the individual's outlook on their own career path inside the group. It depends on whether advancement is available, whether their contributions are credited to them and whether the incentives on offer match what they want. High scores signal a motivated, committed member; low scores often precede disengagement or departure.",
    highLooksLike: [
      "The person can describe a concrete next step for their role and how to reach it.",
      "Their contributions are named and credited in reviews and announcements.",
      "They take on stretch assignments because they see them paying off personally."
    ],
    lowLooksLike: [
      "The person talks about being stuck or overlooked for promotion.",
      "Others receive the credit for work the person led.",
      "They start looking outside the group for opportunities or recognition."
    ],
    reflectiveQuestions: [
      "What do I personally want to achieve here in the next year, and is it realistic?",
      "Am I credited for what I contribute?",
      "Do the rewards on offer in this group match what motivates me?"
    ]
  }),
  new Pillar({
    id: "dirrecip",
    mode: "hierarchical",
    dimension: "involved",
    title: "Direct Reciprocity",
    abbreviation: "DirRecip",
    counterpart: "indrecip",
    measures: "How willing a member is to take part in conditional, tit-for-tat help where favours are tracked and repaid.",
    description:
      "Direct Reciprocity describes help given on the understanding that it will be returned by the same person. It builds dependable alliances and makes cooperation predictable in ranked settings. At high levels people invest in a network of obligations; at low levels they either go it alone or feel excluded from the exchange.",
    highLooksLike: [
      "People agree to help a colleague while noting the favour they will want in return.",
      "Stable partnerships form between members who reliably cover for one another.",
      "Past favours are invoked to secure support for a request."
    ],
    lowLooksLike: [
      "Members decline requests that fall outside their formal duties.",
      "Favours go unreturned and people stop offering them.",
      "Some members have nobody they can call on when they need a hand."
    ],
    reflectiveQuestions: [
      "Who in this group owes me a favour, and whom do I owe?",
      "Do I honour the informal deals I make with colleagues?",
      "Am I building alliances that will help me when I need support?"
    ]
  }),
  new Pillar({
    id: "status",
    mode: "hierarchical",
    dimension: "liked",
    title: "Status",
    abbreviation: "Stat",
    counterpart: "popularity",
    measures: "How much seniority and formal power a member holds to direct others and make decisions for the group.",
    description:
      "Status is influence that comes from position rather than affection. It rests on formal authority, the ability to issue instructions that are followed, the advantages that come with rank and control over resources. High status lets a person shape outcomes quickly; low status means depending on others to act.",
    highLooksLike: [
      "The person's instructions are acted on without needing to be justified.",
      "They sign off on budgets, hiring or priorities for others.",
      "Meetings wait for them to arrive and decisions wait for their approval."
    ],
    lowLooksLike: [
      "The person must seek approval for routine decisions.",
      "Their requests are deprioritised when they conflict with those of senior colleagues.",
      "They have little say over how resources or people are allocated."
    ],
    reflectiveQuestions: [
      "Which decisions can I make for the group without asking anyone?",
      "When I give an instruction, how reliably is it carried out?",
      "How do I use the authority I have, and how do others experience it?"
    ]
  }),
  new Pillar({
    id: "normexp",
    mode: "hierarchical",
    dimension: "agency",
    title: "Normative Expression",
    abbreviation: "NormExp",
    counterpart: "divsexp",
    measures: "How willing a member is to uphold established ways of working and resist proposals that would change them.",
    description:
      "Normative Expression is the preference for conformity and continuity. Members who score high value predictable routines, see rewards in fitting in and act to keep others in line with accepted norms. This can give a group stability and shared standards, but it can also stall needed change.",
    highLooksLike: [
      "New proposals are met first with reminders of how things are normally done.",
      "People who follow procedure closely are praised and promoted.",
      "Deviations from standard practice are corrected quickly, often publicly."
    ],
    lowLooksLike: [
      "Members routinely work around procedures they consider outdated.",
      "Established practices are questioned without reference to precedent.",
      "Nobody steps in when a colleague ignores an agreed standard."
    ],
    reflectiveQuestions: [
      "When someone suggests a new way of working, what is my first reaction?",
      "Which of our norms do I defend, and do they still serve us?",
      "What do I gain personally from keeping things as they are?"
    ]
  }),
  new Pillar({
    id: "incresp",
    mode: "hierarchical",
    dimension: "respect",
    title: "Incoming Respect",
    abbreviation: "IncResp",
    counterpart: "outresp",
    measures: "How competent and trustworthy a member believes others in the group judge them to be.",
    description:
      "Incoming Respect is a person's reading of their own reputation. It covers how capable they seem to others, how actively they manage that impression and how visible their results are. People with high incoming respect feel secure in their standing; those with low scores often feel their work goes unseen or is judged unfairly.",
    highLooksLike: [
      "The person is consulted on questions in their area of expertise.",
      "Colleagues cite the person's work as a reference or example.",
      "They are trusted with high-visibility tasks without extra oversight."
    ],
    lowLooksLike: [
      "The person's work is double-checked more than that of their peers.",
      "They are left off discussions where their expertise is relevant.",
      "They feel their results go unnoticed unless they promote them loudly."
    ],
    reflectiveQuestions: [
      "How competent do I think my colleagues believe I am, and what is that based on?",
      "Is my work visible to the people whose judgement matters here?",
      "How much of my effort goes into managing how others see me?"
    ]
  })
]
