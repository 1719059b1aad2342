using System.Globalization;

namespace Komlogd.Sdk;

/// <summary>Minimal syntax check of one classic cron field (see <see cref="CronSchedule"/>).</summary>
internal static class CronField
{
    public static string Check(string? field, string name, int min, int max, string paramName)
    {
        if (field is null)
        {
            throw new ArgumentException($"cron {name} is required (\"*\" for every value)", paramName);
        }
        foreach (var item in field.Split(','))
        {
            if (CheckItem(item, min, max) is { } problem)
            {
                throw new ArgumentException(
                    $"cron {name} '{field}': {problem}; a field is *, n, a-b, */n or a-b/n, or a comma list of these, with values {min}-{max}",
                    paramName);
            }
        }
        return field;
    }

    /// <summary>
    /// The values a field that <see cref="Check"/> accepted stands for, as cron reads it: <c>*/n</c> and
    /// <c>a-b/n</c> count from the first value of the range.
    /// </summary>
    public static SortedSet<int> Expand(string field, int min, int max)
    {
        var values = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            var step = slash < 0 ? 1 : int.Parse(item[(slash + 1)..], CultureInfo.InvariantCulture);
            var (from, to) = (min, max);
            if (range != "*")
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                from = int.Parse(dash < 0 ? range : range[..dash], CultureInfo.InvariantCulture);
                to = dash < 0 ? from : int.Parse(range[(dash + 1)..], CultureInfo.InvariantCulture);
            }
            for (var v = from; v <= to; v += step)
            {
                values.Add(v);
            }
        }
        return values;
    }

    private static string? CheckItem(string item, int min, int max)
    {
        if (item.Length == 0)
        {
            return "empty item";
        }
        var range = item;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            range = item[..slash];
            var step = item[(slash + 1)..];
            if (!TryNumber(step, out var n) || n < 1)
            {
                return $"step '{step}' is not a whole number of at least 1";
            }
            if (!range.Contains('-', StringComparison.Ordinal) && range != "*")
            {
                return $"'{item}': a step needs * or a range before it";
            }
        }
        if (range == "*")
        {
            return null;
        }
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return CheckValue(range, min, max);
        }
        var (from, to) = (range[..dash], range[(dash + 1)..]);
        if ((CheckValue(from, min, max) ?? CheckValue(to, min, max)) is { } problem)
        {
            return problem;
        }
        return int.Parse(from, CultureInfo.InvariantCulture) > int.Parse(to, CultureInfo.InvariantCulture)
            ? $"range '{range}' runs backwards"
            : null;
    }

    private static string? CheckValue(string text, int min, int max)
    {
        if (!TryNumber(text, out var value))
        {
            return $"'{text}' is not a number";
        }
        return value < min || value > max ? $"{value} is outside {min}-{max}" : null;
    }

    // Digits only: int.TryParse would also take signs and surrounding white space, which cron does not.
    private static bool TryNumber(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 4 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        value = int.Parse(text, CultureInfo.InvariantCulture);
        return true;
    }
}
