package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// controlTimeout bounds a request to the control endpoint. It is longer than actionTimeout, so
// the router's own timeout ends a slow action first.
const controlTimeout = actionTimeout + 10*time.Second

func runTrigger(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("trigger", "[dir] <action-id>",
		"Runs a scheduled action of the app that \"spacedev up\" serves for the project, now:\n"+
			"the router posts the action's event to the Micro that declares it, as Space did\n"+
			"on schedule. It prints the Micro's status and response, and fails unless the\n"+
			"status is 2xx.", std)
	args, err := fs.parse(args)
	if err != nil {
		return err
	}
	dir, id, err := projectAndName("trigger", "action id", "<action-id>", args)
	if err != nil {
		return err
	}

	resp, err := postControl(ctx, dir, triggerPath+"?id="+url.QueryEscape(id))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxActionResponseBytes))
	fmt.Fprintf(std.out, "action %s: %s\n", id, resp.Status)
	if len(body) > 0 {
		fmt.Fprintf(std.out, "%s\n", strings.TrimRight(string(body), "\n"))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("action %q failed with status %s", id, resp.Status)
	}
	return nil
}

func runLogin(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("login", "[dir]",
		"Prints a new one-time login URL for the app that \"spacedev up\" serves for the\n"+
			"project. Opening it in a browser logs in as the app's owner.", std)
	args, err := fs.parse(args)
	if err != nil {
		return err
	}
	dir, err := dirArg("login", args)
	if err != nil {
		return err
	}
	if dir, err = projectDir(dir, "spacedev login <dir>"); err != nil {
		return err
	}

	resp, err := postControl(ctx, dir, loginPath)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct{ URL, Message string }
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil {
		return fmt.Errorf("login: read response (%s): %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login: %s: %s", resp.Status, out.Message)
	}
	fmt.Fprintln(std.out, out.URL)
	return nil
}

// postControl sends a POST to the control endpoint of the router that serves the project in
// dir, an absolute path, with the project's key. The caller closes the response body.
func postControl(ctx context.Context, dir, pathAndQuery string) (*http.Response, error) {
	st := &state{dir: filepath.Join(dir, stateDirName)}
	info, err := st.readRun()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	keys, err := readKeys(filepath.Join(st.dir, keysFileName))
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, controlTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, info.URL+pathAndQuery, nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("control request to %s: %w", info.URL, err)
	}
	req.Header.Set("X-API-Key", keys.APIKey.Reveal())
	resp, err := controlClient.Do(req)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("reach spacedev up at %s: %w", info.URL, err)
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// controlClient sends the app's key only to the app's own router: it uses no proxy and follows
// no redirect.
var controlClient = &http.Client{
	Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// cancelBody releases the request's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}
