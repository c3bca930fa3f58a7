import { ChunkId } from "../Ids.js"

/**
 * Search-relevance cases: questions phrased the way a learner would ask them, each with the chunk
 * ids a good search should return in its top results (recall@5 is measured against these). Spread
 * across both modes, all ten pillars and every category. Tests check that every id exists.
 */
export interface RelevanceCase {
  readonly query: string
  readonly expected: ReadonlyArray<ChunkId>
}

const c = (query: string, ...expected: ReadonlyArray<string>): RelevanceCase => ({
  query,
  expected: expected.map((id) => ChunkId.make(id))
})

export const relevanceCases: ReadonlyArray<RelevanceCase> = [
  // Pillars and forces, in the learner's words
  c("people are afraid to disagree in meetings", "force:divsexp.psychological-safety", "pillar:divsexp:low"),
  c("how do I get my team to speak up and challenge ideas", "guidance:divsexp:raise"),
  c("my boss takes credit for my work", "force:ownprosp.credit-attribution"),
  c("I see no path to promotion in this team", "force:ownprosp.personal-advancement"),
  c("nobody helps anyone unless there's something in it for them", "pillar:indrecip:low", "force:indrecip.unconditional-helping"),
  c("I'm always the one helping everybody and I'm burning out", "guidance:indrecip:watch"),
  c("I feel left out of lunches and informal chats", "force:popularity.belonging-signals", "pillar:popularity:low"),
  c("team members describe our priorities differently", "force:grpprosp.collective-goal-clarity"),
  c("our team is so confident it has become complacent", "guidance:grpprosp:watch"),
  c("I keep redoing colleagues' work because I don't trust its quality", "pillar:outresp:low", "force:outresp.peer-competence"),
  c("how can I learn to delegate more", "force:outresp.delegation-confidence", "guidance:outresp:raise"),
  c("colleagues keep a tally of favours owed", "force:dirrecip.favor-trading"),
  c("calling in a favour someone owes me", "force:dirrecip.debt-leverage"),
  c("my instructions get ignored or delayed", "force:status.command-capacity"),
  c("how do I get more authority to make decisions", "guidance:status:raise"),
  c("people get corrected publicly for not following procedure", "force:normexp.norm-enforcement"),
  c("our group resists every new way of working", "guidance:normexp:watch", "guidance:leading-change"),
  c("management never notices the work I deliver", "force:incresp.visibility-of-delivery", "guidance:incresp:raise"),
  c("questions to reflect on whether people like me in the group", "pillar:popularity:reflection"),
  c("what does good group prospects look like in practice", "pillar:grpprosp:high"),
  c("what are the forces of Direct Reciprocity", "pillar:dirrecip:forces"),
  c("what is Normative Expression", "pillar:normexp:definition"),
  // Connections
  c("what does Scapegoating mean", "connection:ecp-04"),
  c("Heavy Lies the Crown connection", "connection:ecp-12"),
  c("why do powerful people defend the status quo", "connection:hcp-11"),
  c("trusting colleagues so much that nobody questions decisions anymore", "connection:ecp-20"),
  c("which pillars does Outgoing Respect affect", "pillar:outresp:outgoing"),
  c("what drives Incoming Respect", "pillar:incresp:incoming"),
  // Modes and dimensions
  c("what is the difference between egalitarian and hierarchical mode", "mode:egalitarian", "mode:hierarchical"),
  c("tips for working well in a hierarchy", "guidance:hierarchical:practice"),
  c("why do flat teams struggle to make decisions", "guidance:egalitarian:pitfalls"),
  c("what does the Agency dimension cover", "dimension:agency"),
  // Scores and cross-cutting guidance
  c("how are scores calculated from the answers", "scoring:scale"),
  c("what counts as a low or high score", "scoring:bands"),
  c("what is a reverse-keyed question", "scoring:reverse-keyed"),
  c("what does an inverse connection mean", "scoring:inverse"),
  c("how does connection strength work", "scoring:strength"),
  c("my manager rates the team much higher than we do", "scoring:comparing-members"),
  c("our remote team feels disconnected", "guidance:remote-teams"),
  c("which pillar should we work on first", "guidance:choosing-a-focus")
]
