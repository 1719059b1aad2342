using System.Runtime.InteropServices;

namespace Komlogd.Core.Service;

/// <summary>
/// A systemd unit for komlogd, from the files in packaging/systemd/ (embedded in komlogd) with their @...@
/// values filled in: the running komlogd as ExecStart, its configuration, the .NET it runs on. Pure text: the
/// command (ServiceCommand) decides where it goes.
/// </summary>
public static class ServiceUnit
{
    /// <summary>The unit's file name, for a system and a user service alike.</summary>
    public const string FileName = "komlogd.service";

    /// <summary>The unit text for the running komlogd.</summary>
    /// <param name="system">A system service (run by <paramref name="user"/>) rather than a user service.</param>
    /// <param name="configFile">The configuration the service runs with (absolute).</param>
    /// <param name="user">The system service's user; ignored for a user service.</param>
    public static string Render(bool system, string configFile, string user)
    {
        var template = Template(system ? "komlogd.system.service" : "komlogd.user.service");
        var values = new Dictionary<string, string>
        {
            ["@EXEC_START@"] = string.Join(' ', ExecStart().Select(Plain)),
            ["@CONFIG@"] = Plain(configFile),
            ["@CONFIG_DIR@"] = Plain(Path.GetDirectoryName(configFile)!),
            ["@DOTNET_ROOT@"] = Plain(DotnetRoot),
            ["@PATH@"] = $"{DotnetRoot}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["@USER@"] = user,
            ["@GROUP@"] = user,
        };
        return values.Aggregate(template, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal));
    }

    /// <summary>
    /// How to start this komlogd: the tool's own command when it runs as one (a dotnet tool's shim, which
    /// stays where it is across <c>dotnet tool update</c>), else <c>dotnet komlogd.dll</c>.
    /// </summary>
    public static IReadOnlyList<string> ExecStart()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "komlogd.dll")]
            : [process];
    }

    /// <summary>The .NET install this komlogd runs on (its shared runtime is three levels below it).</summary>
    public static string DotnetRoot =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>
    /// A path as a unit value. systemd splits values at spaces, reads quotes, expands % specifiers and $
    /// variables: a path holding one of those is refused rather than escaped for every field's own rules.
    /// </summary>
    /// <exception cref="KomlogdException">The path holds whitespace, a quote, % or $.</exception>
    private static string Plain(string path) =>
        path.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '%' or '$' or ';')
            ? throw new KomlogdException($"{path}: a path for a systemd unit may not hold whitespace, quotes, \\, %, $ or ; (move it)")
            : path;

    private static string Template(string name)
    {
        using var stream = typeof(ServiceUnit).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in komlogd (Komlogd.Core.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
