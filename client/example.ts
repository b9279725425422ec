// The client in a few lines: a prediction from job titles, then a refusal caught as an ApiProblem.
// With `npm run dev` running: node_modules/.bin/node client/example.ts [BASE_URL]
import { ApiProblem, createClient } from "./index.ts";

const api = createClient({ baseUrl: process.argv[2] ?? "http://127.0.0.1:8787", apiKey: process.env.LABOR_LLM_EDGE_API_KEY });

const answer = await api.predict({
  history: [
    { year: 2021, title: "Registered nurse" },
    { year: 2023, title: "Charge nurse" },
  ],
  top_k: 3,
  allow_best_guess: true,
});
for (const entry of answer.understood ?? []) console.log(`history ${entry.index}: read as ${entry.code} ${entry.title} (confidence ${entry.confidence.toFixed(2)})`);
console.log(`${answer.model}, ${answer.next_year}:`);
for (const p of answer.predictions) console.log(`  ${(p.probability * 100).toFixed(1).padStart(5)}%  ${p.code} ${p.title}`);

try {
  await api.predict({ history: [{ year: 2021, occupation: "99" }] });
} catch (error) {
  if (!(error instanceof ApiProblem)) throw error;
  console.log(`refused: ${error.status} ${error.title} at ${error.pointer}: ${error.errors[0]?.detail}`);
}
