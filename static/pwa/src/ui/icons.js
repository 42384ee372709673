// Domain icons as emoji: text, so they scale with the font, need no image files, and are hidden
// from screen readers (the domain's name is read instead). Only emoji from Unicode 6-7, which
// every phone of the last decade draws (🪙 and 🪪 are too new for many).
const ICONS = {
  coins: "💰", scale: "⚖️", bowl: "🍲", house: "🏠", bolt: "⚡", bus: "🚌", phone: "📱",
  "id-card": "🛂", book: "📚", speech: "💬", briefcase: "💼", family: "👪", heart: "❤️",
  mind: "🧠", people: "🤝", shield: "🛡️",
};

export function iconFor(name) {
  return ICONS[name] ?? "•";
}
