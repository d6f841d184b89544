package main

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
)

//go:embed assets
var assets embed.FS

// pages holds the parsed templates and the stylesheet that every page inlines.
type pages struct {
	templates *template.Template
	style     template.CSS
	csp       string // Content-Security-Policy of every page
}

// loadPages parses the embedded templates. The stylesheet is inlined so that the public share
// page needs no second, private request, and the CSP allows exactly that stylesheet by hash.
func loadPages() (*pages, error) {
	templates, err := template.ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, err
	}
	style, err := assets.ReadFile("assets/style.css")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(style)
	csp := "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; " +
		"style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return &pages{templates: templates, style: template.CSS(style), csp: csp}, nil
}

// render executes the named template into a buffer first, so that a template error becomes a
// clean 500 instead of half a page.
func (p *pages) render(w http.ResponseWriter, status int, name string, data map[string]any) {
	data["Style"] = p.style
	var buf bytes.Buffer
	if err := p.templates.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	p.setHeaders(w, "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// setHeaders sets the content type and the security headers of every response of the web
// Micro.
func (p *pages) setHeaders(w http.ResponseWriter, contentType string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Security-Policy", p.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}
