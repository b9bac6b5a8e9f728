using System.Globalization;
using ScottPlot;

namespace ScalableApi.Bench.Reporting;

/// <summary>
/// chart.png: req/s (top) and p99 (middle) per scenario × connections, one colour per system, and the scaling
/// curve (bottom) when it was measured. One image, so a reader of the README sees everything at once.
/// </summary>
internal static class Chart
{
    public static bool Write(string path, IReadOnlyList<Median> medians, IReadOnlyList<Median> scaling)
    {
        if (medians.Count == 0 && scaling.Count == 0)
        {
            return false;
        }

        var plots = new List<Plot>();
        if (medians.Count > 0)
        {
            plots.Add(Bars(medians, m => m.Rps, v => v.ToString("N0", CultureInfo.InvariantCulture), "req/s (median)", "Throughput per scenario and system"));
            plots.Add(Bars(medians, m => m.P99Ms, v => v.ToString("0", CultureInfo.InvariantCulture), "p99 latency, ms (median)", "p99 latency per scenario and system"));
        }

        if (scaling.Count > 0)
        {
            plots.Add(Scaling(scaling));
        }

        // A new Multiplot holds one empty plot: start it with ours.
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1))
        {
            multiplot.AddPlot(plot);
        }

        multiplot.SavePng(path, 1600, 520 * plots.Count);
        return true;
    }

    private static Plot Bars(IReadOnlyList<Median> medians, Func<Median, double> value, Func<double, string> label, string axis, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = medians.Select(m => (m.Scenario, m.Connections)).Distinct().OrderBy(g => g.Scenario, StringComparer.Ordinal).ThenBy(g => g.Connections).ToArray();
        var systems = medians.Select(m => m.System).Distinct().OrderBy(Catalogue.SystemOrder).ToArray();
        var bars = new List<Bar>();
        var ticks = new List<(double, string)>();
        var position = 0.0;
        foreach (var group in groups)
        {
            var inGroup = medians.Where(m => m.Scenario == group.Scenario && m.Connections == group.Connections).OrderBy(m => Catalogue.SystemOrder(m.System)).ToArray();
            var start = position;
            foreach (var m in inGroup)
            {
                bars.Add(new Bar
                {
                    Position = position,
                    Value = value(m),
                    // The ceiling dwarfs everything on a linear axis: the figure on each bar keeps small ones readable.
                    Label = label(value(m)),
                    FillColor = palette.GetColor(Array.IndexOf(systems, m.System)),
                    Size = 0.9,
                });
                position += 1;
            }

            ticks.Add(((start + position - 1) / 2, $"({group.Scenario}) c={group.Connections.ToString(CultureInfo.InvariantCulture)}"));
            position += 1.5;
        }

        plot.Add.Bars(bars.ToArray());
        plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Item1)], [.. ticks.Select(t => t.Item2)]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(axis);
        plot.Title(title);
        plot.Legend.ManualItems.AddRange(systems.Select((s, i) => new LegendItem { LabelText = s, FillColor = palette.GetColor(i) }));
        // Outside the data area: tall bars never hide behind it.
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Plot Scaling(IReadOnlyList<Median> scaling)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var group in scaling.GroupBy(m => m.Connections).OrderBy(g => g.Key))
        {
            var points = group.OrderBy(m => m.Replicas).ToArray();
            var line = plot.Add.Scatter(points.Select(m => (double)(m.Replicas ?? 1)).ToArray(), points.Select(m => m.Rps).ToArray(), palette.GetColor(index++));
            line.LegendText = $"{group.Key} connections";
        }

        plot.Axes.Bottom.SetTicks([1, 2, 4], ["1", "2", "4"]);
        plot.XLabel("catalog replicas (a quarter core each)");
        plot.YLabel("req/s through the gateway");
        plot.Title("Scaling: reads through the gateway");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
