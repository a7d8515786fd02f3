// Builds each library's page on its own (no shared chunk), minified as the app's bundle is.
export default {
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: process.env.CHART_BENCH_OUT,
    emptyOutDir: true,
    rollupOptions: { input: process.env.CHART_BENCH_INPUT },
  },
};
