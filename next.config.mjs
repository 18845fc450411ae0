/** @type {import('next').NextConfig} */
const nextConfig = {
  // The database driver is a native addon: leave it to Node instead of bundling it.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // The floating dev-tools button covers the first work center's "+ Add card".
  devIndicators: false,
};

export default nextConfig;
