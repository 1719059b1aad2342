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
