// CodeMirror 6 with the SPARQL mode, bundled as one ES module (web/dist/editor.js).
export { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
export { EditorState } from "@codemirror/state";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
