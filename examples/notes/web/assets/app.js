// The notes page. It calls the api and worker Micros through relative paths on the app's own
// origin, so the browser's session cookie authenticates every call and no key reaches the page.
// All user text goes into the page through textContent, never as HTML.
"use strict";

const notesList = document.getElementById("notes");
const statusLine = document.getElementById("status");
const statsLine = document.getElementById("stats");
const form = document.getElementById("add-form");
const textInput = document.getElementById("note-text");

// request sends a JSON request and returns the decoded response, or null for 204. It throws
// an Error with the server's message when the status is not 2xx.
async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    throw new Error("Your session has ended: get a new login URL with \"spacedev login\" and open it.");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).message || message;
    } catch {
      // The body was not JSON, so the status line stays the message.
    }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function showError(error) {
  statusLine.textContent = error.message;
}

function makeButton(label, className, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = label;
  button.addEventListener("click", () => onClick().catch(showError));
  return button;
}

function shareURL(note) {
  return new URL("/share/" + encodeURIComponent(note.share_token), location.origin).href;
}

function renderNote(note) {
  const item = document.createElement("li");
  item.className = "note";
  item.dataset.id = note.id;

  const text = document.createElement("p");
  text.className = "note-text";
  text.textContent = note.text;

  const meta = document.createElement("p");
  meta.className = "note-meta";
  meta.textContent = new Date(note.created).toLocaleString();

  const actions = document.createElement("div");
  actions.className = "note-actions";
  actions.append(
    makeButton(note.shared ? "Stop sharing" : "Share", "secondary share-button",
      () => setShared(note.id, !note.shared)),
    makeButton("Delete", "danger delete-button", () => deleteNote(note.id)),
  );
  if (note.shared) {
    const link = document.createElement("a");
    link.className = "share-link";
    link.href = shareURL(note);
    link.textContent = link.href;
    actions.append(link);
  }

  item.append(text, meta, actions);
  return item;
}

function renderNotes(notes) {
  if (notes.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = "No notes yet.";
    notesList.replaceChildren(empty);
    return;
  }
  // Newest first.
  notesList.replaceChildren(...notes.slice().reverse().map(renderNote));
}

function renderStats(stats) {
  if (!stats.last_run) {
    statsLine.textContent = "No statistics yet: the worker collects them once a minute.";
    return;
  }
  const when = new Date(stats.last_run).toLocaleString();
  statsLine.textContent = `${count(stats.notes, "note", "notes")}, ${stats.shared} shared. ` +
    `Collected ${count(stats.runs, "time", "times")}, last at ${when}.`;
}

function count(n, singular, plural) {
  return `${n} ${n === 1 ? singular : plural}`;
}

async function loadNotes() {
  renderNotes(await request("GET", "/api/notes"));
}

async function loadStats() {
  renderStats(await request("GET", "/worker/stats"));
}

async function addNote(text) {
  await request("POST", "/api/notes", { text });
  await loadNotes();
}

async function setShared(id, shared) {
  await request("PATCH", "/api/notes/" + encodeURIComponent(id), { shared });
  await loadNotes();
}

async function deleteNote(id) {
  await request("DELETE", "/api/notes/" + encodeURIComponent(id));
  await loadNotes();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  statusLine.textContent = "";
  addNote(textInput.value)
    .then(() => {
      textInput.value = "";
    })
    .catch(showError);
});

document.getElementById("refresh-stats").addEventListener("click", () => {
  loadStats().catch(showError);
});

loadNotes().catch(showError);
loadStats().catch(showError);
setInterval(() => loadStats().catch(showError), 30000);
