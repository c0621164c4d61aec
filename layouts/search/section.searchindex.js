{{- /* The search index: one short entry a page (its title, what it is, and a few words about it; never its whole text, so that a site of 10,000 agreements keeps a small index). URLs are relative to the site's root. */ -}}
{{- $present := hugo.Data.evalsite.present | default dict -}}
{{- $docs := slice (dict "t" site.Title "k" "Summary" "u" "" "x" "Summary headline figures key findings") -}}
{{- $generated := slice "agreements" "departments" "themes" "search" -}}
{{- range site.Sections | append site.RegularPages -}}
  {{- if and (or .IsSection (not (in $generated .Section))) (ne .Section "search") -}}
    {{- $kind := cond (eq .Section "report") "Report chapter" "Page" -}}
    {{- $docs = $docs | append (dict "t" .Title "k" $kind "u" (strings.TrimPrefix "/" .RelPermalink) "x" (.Description | default "")) -}}
  {{- end -}}
{{- end -}}
{{- range hugo.Data.evalsite.agreements -}}
  {{- $docs = $docs | append (dict "t" .authority "k" "Agreement" "u" (printf "agreements/%s/" .slug) "x" (delimit (slice .authority_type .region) " ")) -}}
{{- end -}}
{{- if $present.freedoms }}{{ range hugo.Data.evalsite.departments -}}
  {{- $docs = $docs | append (dict "t" .name "k" "Department" "u" (printf "departments/%s/" .slug) "x" "") -}}
{{- end }}{{ end -}}
{{- if $present.codings }}{{ range hugo.Data.evalsite.themes -}}
  {{- $docs = $docs | append (dict "t" .label "k" "Theme" "u" (printf "themes/%s/" .slug) "x" (.description | default "" | truncate 160 "")) -}}
{{- end }}{{ end -}}
window.EVALSITE_SEARCH = {{ $docs | jsonify | safeJS }};
