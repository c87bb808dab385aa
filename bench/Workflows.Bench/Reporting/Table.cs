using System.Globalization;
using System.Text;

namespace Workflows.Bench.Reporting;

/// <summary>A Markdown table: first column left-aligned, the rest right-aligned (figures).</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Join("|", headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (string[] row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }
}

internal static class Format
{
    public static string Ms(double ms) => double.IsNaN(ms) ? "–"
        : ms < 10 ? ms.ToString("0.0", CultureInfo.InvariantCulture) : ms.ToString("0", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "–" : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Db(double? db) => db is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    public static string Mb(double mb) => mb.ToString("0", CultureInfo.InvariantCulture);

    public static string Pass(bool ok) => ok ? "✓" : "✗";

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
