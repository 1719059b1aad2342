using System.Reflection;
using System.Runtime.Loader;
using Komlogd.Sdk;

namespace Komlogd.PluginHost;

/// <summary>
/// Loads a venv's assemblies through the venv's own deps.json, so a package may use another version of
/// any library than the host and than each other venv (one venv's package brings Newtonsoft.Json 12, another's 13).
/// Komlogd.Sdk is the exception: the host's own assembly object is returned, or the entry-point attribute
/// and the IKomlogdPackage cast would not match (docs/design.md: returning null is not enough when the package
/// was built against a newer SDK). The framework falls through to the default context.
/// </summary>
internal sealed class VenvLoadContext(string entryAssembly) : AssemblyLoadContext($"venv:{entryAssembly}")
{
    public static readonly Assembly SharedSdk = typeof(IKomlogdPackage).Assembly;

    private readonly AssemblyDependencyResolver _resolver = new(entryAssembly);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, SharedSdk.GetName().Name, StringComparison.Ordinal))
        {
            return SharedSdk;
        }
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : 0;
}
