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
// Every figure a chart states that is not one of its marks (a median, a
// total, a peak, a rate) comes in its input from the metrics, so that a chart
// and the page citing the figure cannot disagree; a chart checks such a
// figure against its marks but never computes it. The words for coded values
// (event types, for instance) come in the input too.
//
// # Describe, then draw
//
// Each chart function does two things. It first describes the chart: it
// checks and orders its input and writes the title, subtitle, alt text and
// table, picks the key and the height, and gathers the marks to draw in data
// terms (the bars in order with the end of their value scale, the median,
// the peak), or a message when there is nothing to draw. Describing measures
// text to fit it, but touches no canvas, so a description is tested without
// drawing. The drawing step then takes nothing but the description: it lays
// out the key and the body, maps the marks to lengths and writes the SVG.
// Text fitting (wrap, truncate, hyphenate), keys, value, day and time axes
// and the choice of round ticks are shared by every chart.
//
// The charts use gonum/plot for what it does well: measuring and setting
// text (text.Style, the Liberation fonts), the canvas and its marks
// (draw.Canvas, draw.LineStyle, glyphs) and the SVG writer (vgsvg). They do
// not lay out through plot.Plot and its plotters. The house style needs what
// plot.Plot does not do without overriding most of it: a title and alt text
// made from the data rather than drawn; labels placed on and beside the marks
// and moved off each other; axes without gridlines whose month and year
// labels thin out with the width; a key only when direct labels do not fit;
// and the thousands of marks of a large programme merged into one path per
// style, which keeps an SVG small. Importing the plot package would also link
// its PDF, EPS and raster back ends, which the site does not use. The tick
// choice keeps plot.Ticker's shape (a Ticks(min, max) method returning
// value and label pairs), so that it could serve a plot.Plot unchanged.
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
