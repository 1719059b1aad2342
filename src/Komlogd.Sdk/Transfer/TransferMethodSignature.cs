using System.Reflection;

namespace Komlogd.Sdk;

/// <summary>Where each argument of a transfer method comes from.</summary>
internal enum ArgumentSource
{
    T,
    Updated,
    Others,
    CancellationToken,
    Given,
    Default,
}

/// <summary>One argument of a transfer method: its source, and the value when it was given at bind time.</summary>
internal readonly record struct ArgumentSlot(ArgumentSource Source, object? Value);

/// <summary>
/// Checks a transfer method's signature once, when it is bound or discovered, and records where each
/// argument comes from, so a run cannot fail on binding (TransferMethodInvokerTests guard this).
/// </summary>
internal static class TransferMethodSignature
{
    public const string T = "t";
    public const string Updated = "updated";
    public const string Others = "others";

    public static readonly IReadOnlyList<string> Reserved = [T, Updated, Others];

    public static ArgumentSlot[] Plan(MethodInfo method, IReadOnlyDictionary<string, object?> given, List<string> problems)
    {
        var name = $"{method.DeclaringType?.Name}.{method.Name}";
        if (method.ContainsGenericParameters)
        {
            problems.Add($"{name} is generic; a transfer method cannot be");
        }
        var returns = method.ReturnType;
        if (returns != typeof(void) && !typeof(Task).IsAssignableFrom(returns) && returns != typeof(ValueTask))
        {
            problems.Add($"{name} returns {returns.Name}; a transfer method returns void, Task or ValueTask");
        }
        foreach (var key in given.Keys)
        {
            if (Reserved.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"parameter '{key}' is reserved (t, updated, others are supplied by komlogd) and cannot be given");
            }
        }
        var parameters = method.GetParameters();
        var names = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in given.Keys)
        {
            if (!names.Contains(key) && !Reserved.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"parameter '{key}' was given but {name} has no parameter of that name");
            }
        }
        var plan = new ArgumentSlot[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var type = p.ParameterType;
            if (type.IsByRef || p.IsOut)
            {
                problems.Add($"parameter '{p.Name}' of {name} is ref/out/in; transfer method parameters are plain values");
                continue;
            }
            switch (p.Name)
            {
                case T:
                    Expect(p, typeof(DateTimeOffset), "DateTimeOffset");
                    plan[i] = new(ArgumentSource.T, null);
                    continue;
                case Updated:
                    Expect(p, typeof(IReadOnlyList<Sample>), "IReadOnlyList<Sample>");
                    plan[i] = new(ArgumentSource.Updated, null);
                    continue;
                case Others:
                    Expect(p, typeof(IReadOnlyList<Sample>), "IReadOnlyList<Sample>");
                    plan[i] = new(ArgumentSource.Others, null);
                    continue;
            }
            if (p.Name is { } key && given.TryGetValue(key, out var value))
            {
                if (value is null ? type.IsValueType && Nullable.GetUnderlyingType(type) is null : !type.IsInstanceOfType(value))
                {
                    problems.Add($"parameter '{key}' of {name} is {type.Name}; the value given is {(value is null ? "null" : value.GetType().Name)}");
                }
                plan[i] = new(ArgumentSource.Given, value);
            }
            else if (type == typeof(CancellationToken))
            {
                plan[i] = new(ArgumentSource.CancellationToken, null);
            }
            else if (p.HasDefaultValue)
            {
                plan[i] = new(ArgumentSource.Default, null);
            }
            else
            {
                problems.Add($"parameter '{p.Name}' of {name} is not reserved (t, updated, others), not given and has no default value");
            }
        }
        return plan;

        void Expect(ParameterInfo p, Type supplied, string shown)
        {
            if (!p.ParameterType.IsAssignableFrom(supplied))
            {
                problems.Add($"parameter '{p.Name}' of {name} is {p.ParameterType.Name}; komlogd supplies it as {shown}");
            }
        }
    }
}
