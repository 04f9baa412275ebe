/**
 * The fake OpenAI-compatible service in a process of its own for the LLM bench, as a real one
 * would be: its 500 ms are not stretched by the bot's own work on the same event loop. The
 * behaviour comes as JSON in argv[2]; the base URL goes back over IPC.
 */
import { startFakeOpenAi, type Behaviour } from "../test/fakes/openai.js";

const fake = await startFakeOpenAi();
fake.respond(JSON.parse(process.argv[2]!) as Behaviour);
process.send!({ baseUrl: fake.baseUrl });
process.on("disconnect", () => void fake.close().then(() => process.exit(0)));
