// Folding names so that the ways one name is written meet: case, diacritics ("Ștefan" and
// "Stefan"), and Cyrillic written in Latin ("Штефан"). Households are met by several workers,
// each spelling them as they heard them; search and the likely-match check both fold.
// Pure: no imports, so node runs it in the tests as the browser does.

// Cyrillic (Bulgarian, Ukrainian, Russian, Serbian) to the Latin the same sound is written in
// the region's Latin alphabets, without diacritics: ш is š/ș, ч is č, ж is ž, ц is c/ț.
const CYRILLIC = {
  а: "a", б: "b", в: "v", г: "g", ґ: "g", д: "d", ђ: "d", е: "e", ё: "e", є: "ie", ж: "z",
  з: "z", и: "i", і: "i", ї: "i", й: "i", ј: "j", к: "k", л: "l", љ: "lj", м: "m", н: "n",
  њ: "nj", о: "o", п: "p", р: "r", с: "s", т: "t", ћ: "c", у: "u", ф: "f", х: "h", ц: "c",
  ч: "c", џ: "dz", ш: "s", щ: "st", ъ: "a", ы: "y", ь: "", э: "e", ю: "iu", я: "ia",
};
// Letters that Unicode does not decompose into a base letter and a mark.
const SPECIAL = { ß: "ss", ł: "l", đ: "d", ø: "o", æ: "ae", œ: "oe", ı: "i", þ: "th", ð: "d" };

export function fold(text) {
  const lower = String(text ?? "").toLowerCase();
  const latin = [...lower].map((c) => CYRILLIC[c] ?? c).join("");
  return latin.normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/[ßłđøæœıþð]/g, (c) => SPECIAL[c]);
}

// Whether `needle` (as typed in the search box) is in `haystack`, both folded.
export function foldedIncludes(haystack, needle) {
  return fold(haystack).includes(fold(needle).trim());
}

// For comparing names rather than finding them: folded, Latin digraphs reduced to the one
// letter the transliteration above uses ("Shtefan" → "stefan"), punctuation dropped.
export function nameKey(text) {
  return fold(text).replace(/sh/g, "s").replace(/ch/g, "c").replace(/zh/g, "z").replace(/tz|ts/g, "c")
    .replace(/y/g, "i").replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ").trim();
}
