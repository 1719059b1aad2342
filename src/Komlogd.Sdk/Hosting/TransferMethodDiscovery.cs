using System.Linq.Expressions;
using System.Reflection;

namespace Komlogd.Sdk.Hosting;

/// <summary>
/// Finds the methods a package declared with <see cref="TransferMethodAttribute"/>. For the plugin host.
/// </summary>
/// <example>
/// <code>
/// var entryPoint = (IKomlogdPackage)Activator.CreateInstance(attribute.EntryPoint)!;
/// foreach (var method in TransferMethodDiscovery.Find(packageAssembly, entryPoint))
///     scheduler.Add(method);
/// </code>
/// </example>
public static class TransferMethodDiscovery
{
    /// <summary>
    /// Every <see cref="TransferMethodAttribute"/> method in <paramref name="assembly"/>, ordered by
    /// <see cref="TransferMethodInfo.Id"/>. Static methods may be on any class; instance methods only on the
    /// class of one of <paramref name="entryPoints"/> (or a base of it), and are bound to that instance.
    /// Call it once per assembly, with every entry point the host created from it (an assembly may declare
    /// several with <see cref="KomlogdPackageAttribute"/>), so static methods are found once.
    /// </summary>
    /// <param name="assembly">The package's assembly.</param>
    /// <param name="entryPoints">The entry points the host created from this assembly; none or null if there are none.</param>
    /// <returns>The declared methods; empty if there are none.</returns>
    /// <exception cref="InvalidOperationException">
    /// A declaration is wrong (no schedule or two, a schedule without <c>[TransferMethod]</c>, a bad uri or
    /// cron field, an unsupported parameter, an instance method off the entry point, an overload). The
    /// message lists every problem, one per line, so the package author fixes them in one go.
    /// </exception>
    public static IReadOnlyList<TransferMethodInfo> Find(Assembly assembly, params object?[]? entryPoints)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return FindIn(assembly.GetTypes(), assembly.GetName().Name, [.. (entryPoints ?? []).OfType<object>()]);
    }

    // Types given, not an assembly: tests declare good and bad methods side by side in one assembly.
    internal static IReadOnlyList<TransferMethodInfo> FindIn(IEnumerable<Type> types, string? assemblyName, IReadOnlyList<object> entryPoints)
    {
        var found = new List<TransferMethodInfo>();
        var problems = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
            BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(all))
            {
                var declared = method.GetCustomAttribute<TransferMethodAttribute>();
                var schedules = method.GetCustomAttributes<ScheduleAttribute>().ToList();
                if (declared is null && schedules.Count == 0)
                {
                    continue;
                }
                var id = TransferMethodInfo.DeclaredId(method);
                var before = problems.Count;
                if (declared is null)
                {
                    problems.Add($"{id}: has a schedule attribute but no [TransferMethod]");
                    continue;
                }
                if (schedules.Count != 1)
                {
                    problems.Add($"{id}: needs exactly one schedule attribute ([OnUpdateSchedule], [CronSchedule] or [DummySchedule]); it has {schedules.Count}");
                    continue;
                }
                Schedule schedule;
                try
                {
                    schedule = schedules[0].ToSchedule();
                }
                catch (ArgumentException e)
                {
                    problems.Add($"{id}: {e.Message}");
                    continue;
                }
                var target = TargetOf(method, entryPoints, id, problems);
                if (problems.Count > before || method.ContainsGenericParameters)
                {
                    if (method.ContainsGenericParameters)
                    {
                        problems.Add($"{id}: is generic; a transfer method cannot be");
                    }
                    continue;
                }
                var signatureProblems = new List<string>();
                var del = method.CreateDelegate(DelegateTypeOf(method), target);
                var info = TransferMethodInfo.Create(id, del, schedule, parameters: null, declared.Data, signatureProblems);
                problems.AddRange(signatureProblems.Select(p => $"{id}: {p}"));
                if (signatureProblems.Count == 0)
                {
                    found.Add(info);
                }
            }
        }
        foreach (var duplicate in found.GroupBy(m => m.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: overloaded transfer methods are not supported; give each its own name");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"{assemblyName} declares transfer methods komlogd cannot run:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        }
        return found.OrderBy(m => m.Id, StringComparer.Ordinal).ToList().AsReadOnly();
    }

    private static object? TargetOf(MethodInfo method, IReadOnlyList<object> entryPoints, string id, List<string> problems)
    {
        if (method.IsStatic)
        {
            return null;
        }
        if (method.IsAbstract)
        {
            problems.Add($"{id}: is abstract");
            return null;
        }
        if (entryPoints.FirstOrDefault(method.DeclaringType!.IsInstanceOfType) is { } entryPoint)
        {
            return entryPoint;
        }
        problems.Add($"{id}: an instance transfer method must be on the package's entry point class; make it static or move it there");
        return null;
    }

    // Func<...>/Action<...> for up to 16 parameters, else a delegate type made on the fly.
    private static Type DelegateTypeOf(MethodInfo method) =>
        Expression.GetDelegateType([.. method.GetParameters().Select(p => p.ParameterType), method.ReturnType]);
}
