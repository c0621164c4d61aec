package site

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// gitCommit returns the commit checked out in the git repository that holds
// dir, or "" when there is none or it cannot be read. It reads the
// repository's files itself, so a build needs no git program; a worktree's
// .git file and packed refs are followed.
func gitCommit(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if gitDir := findGitDir(filepath.Join(d, ".git")); gitDir != "" {
			return headCommit(gitDir)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// findGitDir returns the repository folder that dotGit (a .git folder, or a
// worktree's .git file naming it) stands for.
func findGitDir(dotGit string) string {
	info, err := os.Stat(dotGit)
	if err != nil {
		return ""
	}
	if info.IsDir() {
		return dotGit
	}
	b, err := os.ReadFile(dotGit)
	if err != nil {
		return ""
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !ok {
		return ""
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(dotGit), target)
	}
	return target
}

// headCommit resolves HEAD in gitDir to a commit id.
func headCommit(gitDir string) string {
	b, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return ""
	}
	head := strings.TrimSpace(string(b))
	ref, ok := strings.CutPrefix(head, "ref:")
	if !ok {
		return commitID(head)
	}
	ref = strings.TrimSpace(ref)
	// A worktree keeps HEAD itself; its branches live in the common folder.
	dirs := []string{gitDir}
	if c, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		dirs = append(dirs, common)
	}
	for _, d := range dirs {
		if b, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(ref))); err == nil {
			return commitID(strings.TrimSpace(string(b)))
		}
	}
	for _, d := range dirs {
		if id := packedRef(filepath.Join(d, "packed-refs"), ref); id != "" {
			return id
		}
	}
	return ""
}

// packedRef looks ref up in a packed-refs file.
func packedRef(file, ref string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, name, ok := strings.Cut(sc.Text(), " ")
		if ok && name == ref {
			return commitID(id)
		}
	}
	return ""
}

// commitID returns s if it is a hexadecimal object id (SHA-1 or SHA-256).
func commitID(s string) string {
	if len(s) != 40 && len(s) != 64 {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return ""
		}
	}
	return s
}
