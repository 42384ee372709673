// Domain icons as emoji: text, so they scale with the font, need no image files, and are hidden
// from screen readers (the domain's name is read instead).
const ICONS = {
  coins: "🪙", scale: "⚖️", bowl: "🍲", house: "🏠", bolt: "⚡", bus: "🚌", phone: "📱",
  "id-card": "🪪", book: "📚", speech: "💬", briefcase: "💼", family: "👪", heart: "❤️",
  mind: "🧠", people: "🤝", shield: "🛡️",
};

export function iconFor(name) {
  return ICONS[name] ?? "•";
}
