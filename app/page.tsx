export default function Home() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">Gatehouse</h1>
      <p className="mt-2 text-slate-600">The review pages arrive next; the API is live under /api.</p>
    </main>
  );
}
