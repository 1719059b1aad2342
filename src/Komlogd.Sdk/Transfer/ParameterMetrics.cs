using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Komlogd.Sdk;

/// <summary>
/// What a transfer method bound without a schedule runs on: every metric found in its parameters, as the
/// Python original's <c>OnUpdateSchedule(activation_metrics=f_params)</c> found them. It looked into lists,
/// tuples and dictionaries, and into the attributes of other objects that are metrics or such collections;
/// each object once (a cycle ends there). Strings and lazy sequences are not walked: only what holds its items.
/// </summary>
internal static class ParameterMetrics
{
    public static IReadOnlyList<Metric> Find(IReadOnlyDictionary<string, object?> parameters)
    {
        var found = new List<Metric>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var value in parameters.Values)
        {
            Walk(value, found, seen);
        }
        return found.Distinct().ToList();
    }

    /// <summary>
    /// A parameters object as a dictionary: a dictionary with string keys as it is, any other object by its
    /// public readable properties (an anonymous object: <c>new { util = new Datapoint("sda.util") }</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A dictionary whose keys are not strings.</exception>
    public static IReadOnlyDictionary<string, object?> ToDictionary(object parameters, string paramName)
    {
        switch (parameters)
        {
            case IReadOnlyDictionary<string, object?> ready:
                return ready;
            case IDictionary dictionary:
                var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    copy[entry.Key as string ?? throw new ArgumentException(
                        $"parameters: a dictionary of parameters needs string keys (parameter names); this one has a {entry.Key.GetType().Name} key", paramName)] = entry.Value;
                }
                return copy;
            default:
                return parameters.GetType()
                    .GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                    .ToDictionary(p => p.Name, p => p.GetValue(parameters), StringComparer.Ordinal);
        }
    }

    private static void Walk(object? value, List<Metric> found, HashSet<object> seen)
    {
        if (value is null or string || value.GetType().IsPrimitive || !seen.Add(value))
        {
            return;
        }
        switch (value)
        {
            case Metric metric:
                found.Add(metric);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Walk(entry.Value, found, seen);
                }
                return;
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                {
                    Walk(tuple[i], found, seen);
                }
                return;
            case IEnumerable items when HoldsItems(value.GetType()):
                foreach (var item in items)
                {
                    Walk(item, found, seen);
                }
                return;
        }
        // An object's attributes: only those that are metrics or collections, as the original looked.
        foreach (var member in Members(value))
        {
            if (member is Metric or IDictionary or ITuple || (member is IEnumerable and not string && HoldsItems(member.GetType())))
            {
                Walk(member, found, seen);
            }
        }
    }

    // Arrays, lists, sets, dictionaries: collections that hold their items. A LINQ query or an iterator would
    // run code (perhaps forever) when walked.
    private static bool HoldsItems(Type type) =>
        typeof(ICollection).IsAssignableFrom(type) ||
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyCollection<>));

    private static IEnumerable<object?> Members(object value)
    {
        var type = value.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            object? member;
            try
            {
                member = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                // A getter that throws holds no metric we could run on.
                continue;
            }
            yield return member;
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            yield return field.GetValue(value);
        }
    }
}
