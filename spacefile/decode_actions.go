package spacefile

import (
	"fmt"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const (
	maxActionsPerMicro   = 5
	maxActionsPerApp     = 25
	maxActionDescription = 142
	triggerSchedule      = "schedule"
)

// decodeActions decodes a Micro's actions list.
func decodeActions(d *decoder, m *Micro, _ *microKeys, e entry) {
	items, ok := d.list(e, "actions", "actions")
	if !ok {
		return
	}
	if len(items) > maxActionsPerMicro {
		d.add(e.line, "actions", fmt.Sprintf("lists %d actions; a micro may have at most %d",
			len(items), maxActionsPerMicro))
	}
	for i, item := range items {
		if action, ok := d.decodeAction(item, index("actions", i)); ok {
			action.Micro = m.Name
			m.Actions = append(m.Actions, action)
		}
	}
}

// actionFields decodes each key allowed in an action.
var actionFields = map[string]func(*decoder, *Action, entry, string){
	"id":               decodeActionID,
	"name":             decodeActionName,
	"description":      decodeActionDescription,
	"trigger":          decodeActionTrigger,
	"default_interval": decodeActionInterval,
	"path":             decodeActionPath,
}

// requiredActionFields lists the keys every action needs, as the space CLI's schema did.
var requiredActionFields = []string{"id", "name", "trigger", "default_interval"}

// decodeAction decodes one action.
func (d *decoder) decodeAction(item *yaml.Node, field string) (Action, bool) {
	entries, ok := d.entries(item, field)
	if !ok {
		return Action{}, false
	}
	action := Action{Line: item.Line}
	present := make(map[string]bool, len(entries))
	for _, e := range entries {
		present[e.key] = true
		decode, ok := actionFields[e.key]
		if !ok {
			d.add(e.line, join(field, e.key), "unknown key; an action allows only id, name, "+
				"description, trigger, default_interval and path")
			continue
		}
		decode(d, &action, e, join(field, e.key))
	}
	for _, key := range requiredActionFields {
		if !present[key] {
			d.add(item.Line, join(field, key), "missing; an action needs id, name, trigger: "+
				"schedule and default_interval")
		}
	}
	return action, true
}

func decodeActionID(d *decoder, a *Action, e entry, field string) {
	id, ok := d.str(e, field)
	a.ID = id
	if ok && id == "" {
		d.add(e.line, field, "is empty; give the action an id, unique in the app")
	}
}

func decodeActionName(d *decoder, a *Action, e entry, field string) {
	name, ok := d.str(e, field)
	a.Name = name
	if ok && name == "" {
		d.add(e.line, field, "is empty; give the action a name, unique in the app")
	}
}

func decodeActionDescription(d *decoder, a *Action, e entry, field string) {
	a.Description, _ = d.str(e, field)
	if n := utf8.RuneCountInString(a.Description); n > maxActionDescription {
		d.add(e.line, field, fmt.Sprintf("has %d characters; shorten it to at most %d", n,
			maxActionDescription))
	}
}

func decodeActionTrigger(d *decoder, a *Action, e entry, field string) {
	trigger, ok := d.str(e, field)
	if ok && trigger != triggerSchedule {
		d.add(e.line, field, fmt.Sprintf("%q is not supported; write trigger: schedule, the "+
			"only trigger Space has", excerpt(trigger)))
	}
	a.Trigger = trigger
}

func decodeActionInterval(d *decoder, a *Action, e entry, field string) {
	text, ok := d.str(e, field)
	if !ok {
		return
	}
	interval, err := parseInterval(text)
	if err != nil {
		d.add(e.line, field, err.Error())
		return
	}
	a.Interval = interval
}

func decodeActionPath(d *decoder, a *Action, e entry, field string) {
	a.Path, _ = d.str(e, field)
}

// checkActions reports action IDs and names used twice in the app, and an app with more than
// 25 actions.
func (d *decoder) checkActions() {
	ids, names := make(map[string]int), make(map[string]int)
	total := 0
	for i, m := range d.spacefile.Micros {
		for j, a := range m.Actions {
			field := index("actions", j)
			d.checkActionKey(i, ids, a.ID, a.Line, join(field, "id"))
			d.checkActionKey(i, names, a.Name, a.Line, join(field, "name"))
		}
		total += len(m.Actions)
	}
	if total > maxActionsPerApp {
		d.addTop(d.topKeys["micros"], "micros", fmt.Sprintf("the micros declare %d actions; "+
			"an app may have at most %d", total, maxActionsPerApp))
	}
}

// checkActionKey reports value when an earlier action has it, and otherwise records it.
func (d *decoder) checkActionKey(i int, seen map[string]int, value string, line int,
	field string) {
	if value == "" {
		return
	}
	if first, ok := seen[value]; ok {
		d.addAt(i, line, field, fmt.Sprintf("%q is also used by the action on line %d; action "+
			"ids and names must be unique in the app", excerpt(value), first))
		return
	}
	seen[value] = line
}
