// Package charts draws the evaluation's charts as SVG in the house style of the
// UK Government Analysis Function, from plain inputs.
//
// Each chart is one function, Name(w, NameInput) (*Chart, error), that writes an
// SVG document to w and returns a [Chart] describing what was drawn: an active
// title stating the main message, a subtitle with the measure and period, the
// source line, alt text computed from the data, and the same numbers as table
// rows (for an HTML table beside the chart, or as CSV with [Chart.WriteCSV]).
// The package knows nothing about how the data was read or the metrics computed:
// callers convert their records into the small input types defined here.
//
// # Style
//
// Titles are left-aligned and wrapped; bars start at zero; values are labelled
// directly on the marks, and a key is drawn only where direct labels do not fit.
// There are no gridlines. Colours come from the Analysis Function's categorical
// palette (dark blue #12436D, turquoise #28A197, orange #F46A25, dark pink
// #801650, dark grey #3D3D3D), each with at least 3:1 contrast against the white
// background; status and event type are also told apart by line dash and mark
// shape, so no chart depends on colour alone.
//
// # Size and fonts
//
// Charts are drawn 400 units wide unless [Width] says otherwise, one unit being
// one CSS pixel, with text of 13 and 14 units. The title, subtitle and source
// line are not drawn: the page prints them as text beside the chart, where they
// reflow. A page shows a chart drawn 300 wide on a phone, where the smallest
// text is then about 12.5 pixels at 288 pixels wide. The root svg element has
// width and height in pixels, a viewBox, and style="max-width:100%;height:auto",
// so it scales down to its container while keeping its proportions, whether it
// is inlined or used in an img element. Its title element holds the chart's
// title and its desc element the alt text.
//
// Fonts are not embedded (embedding grows a chart from a few kilobytes to about
// 530 KB). Text is set in the font stack Arial, Helvetica, "Liberation Sans",
// sans-serif. gonum/plot measures and positions text with Liberation Sans, which
// has the same metrics as Arial and Helvetica, so labels keep the measured
// widths in every browser and on every system that has one of them.
//
// # Degenerate input
//
// When there is nothing meaningful to draw (no signed agreements, no events, every
// value zero), the chart is still a valid SVG with its title and source, and a
// short message in place of the plot; the title and alt text say the same. Invalid
// input (a negative count, an end before a start) is an error and nothing is
// written.
//
// # Determinism
//
// The same input always gives the same bytes: inputs are sorted with
// tie-breakers, numbers are formatted with fixed precision, and nothing depends
// on the clock or on map order.
package charts
