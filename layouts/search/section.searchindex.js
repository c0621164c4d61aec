{{- /* The search index: the written pages (summary, report, methods, downloads, glossary and the sections), then the generated ones the build listed in its data "search". One short entry a page: title t, kind k, address u from the site's root, a few words x. */ -}}
{{- $docs := slice (dict "t" site.Title "k" "Summary" "u" "" "x" "Summary headline figures key findings") -}}
{{- $generated := slice "agreements" "departments" "themes" "search" -}}
{{- /* The written pages are gathered section by section, never from site.RegularPages: a template that ranges over every page keeps each replaced version of the generated ones alive in a preview that runs for hours. */ -}}
{{- $written := site.Home.RegularPages -}}
{{- range site.Sections }}{{ if not (in $generated .Section) }}{{ $written = $written | append .RegularPagesRecursive }}{{ end }}{{ end -}}
{{- range site.Sections | append $written.ByWeight -}}
  {{- if and (or .IsSection (not (in $generated .Section))) (ne .Section "search") -}}
    {{- $kind := cond (eq .Section "report") "Report chapter" "Page" -}}
    {{- $docs = $docs | append (dict "t" .Title "k" $kind "u" (strings.TrimPrefix "/" .RelPermalink) "x" (.Description | default "")) -}}
  {{- end -}}
{{- end -}}
window.EVALSITE_SEARCH = {{ $docs | jsonify | safeJS }}.concat({{ (partial "data.html" "search") | default slice | jsonify | safeJS }});
