using System.Globalization;
using System.Text;

namespace Workflows.Tests.Reliability;

/// <summary>What an audit counted, and every broken invariant it found, each named with the order or asset.</summary>
internal sealed class Audit
{
    private readonly SortedDictionary<string, int> _figures = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public IReadOnlyList<string> Violations => _violations;

    public int this[string figure] => _figures.GetValueOrDefault(figure);

    public void Count(string figure, int by = 1) => _figures[figure] = this[figure] + by;

    /// <summary>Records a broken invariant under <paramref name="figure"/> (e.g. "lost", "duplicated").</summary>
    public void Violation(string figure, string what)
    {
        Count(figure);
        _violations.Add($"{figure}: {what}");
    }

    /// <summary>One line: <c>name=value</c> for every figure, the ones the README quotes first.</summary>
    public string Figures(params (string Name, object Value)[] run)
    {
        var line = new StringBuilder();
        foreach (var (name, value) in run)
        {
            line.Append(CultureInfo.InvariantCulture, $"{name}={value} ");
        }

        foreach (var required in (string[])["lost", "duplicated"])
        {
            line.Append(CultureInfo.InvariantCulture, $"{required}={this[required]} ");
        }

        foreach (var (name, value) in _figures.Where(f => f.Key is not ("lost" or "duplicated")))
        {
            line.Append(CultureInfo.InvariantCulture, $"{name}={value} ");
        }

        return line.ToString().TrimEnd();
    }

    /// <summary>Fails with every violation listed (the first 50) when there is any.</summary>
    public void AssertClean() =>
        Assert.True(_violations.Count == 0, $"{_violations.Count} violations:{Environment.NewLine}{string.Join(Environment.NewLine, _violations.Take(50))}");
}
