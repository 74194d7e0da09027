// Vite's `?raw` imports: a file's text, bundled in at build time (workerd cannot read the repository).
declare module "*?raw" {
  const text: string;
  export default text;
}
