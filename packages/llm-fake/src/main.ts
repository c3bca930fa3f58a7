console.error("llm-fake: the fake providers arrive with the LLM gateway issue")
process.exitCode = 1
