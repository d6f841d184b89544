package spacefile

import (
	"path"
	"path/filepath"
	"slices"
)

const engineStatic = "static"

// engines lists the engines of Spacefile version 0, as the space CLI's schema (v0.4.2) does.
var engines = []string{
	engineStatic, "react", "svelte", "vue", "next", "nuxt", "svelte-kit", "python3.9",
	"python3.8", "nodejs16", "custom",
}

// engineList is engines as one string for messages.
const engineList = "static, react, svelte, vue, next, nuxt, svelte-kit, python3.9, " +
	"python3.8, nodejs16 and custom"

// servingEngines lists the engines whose build output is a folder of files: serve is allowed
// for them, and include is not.
var servingEngines = []string{engineStatic, "react", "vue", "svelte"}

func isEngine(engine string) bool {
	return slices.Contains(engines, engine)
}

func isServingEngine(engine string) bool {
	return slices.Contains(servingEngines, engine)
}

// isAbsolute reports whether p is absolute in slash form, or on the operating system.
func isAbsolute(p string) bool {
	return path.IsAbs(p) || filepath.IsAbs(p)
}
