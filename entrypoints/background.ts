export default defineBackground(() => {
  // Wired up in lib/background (engine work).
});
