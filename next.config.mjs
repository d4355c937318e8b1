// @ts-check
// `tsc -p .` checks this file against NextConfig (tsconfig.json includes it and allows JS).

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "pino"],
  async headers() {
    return [
      {
        // the Content-Security-Policy is set by proxy.ts: it carries a new nonce per request
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
