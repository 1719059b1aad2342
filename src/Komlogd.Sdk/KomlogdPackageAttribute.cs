namespace Komlogd.Sdk;

/// <summary>
/// Declares a package's entry point: the .NET counterpart of the Python <c>komlogd.package</c> entry point.
/// The plugin host creates one instance of <see cref="EntryPoint"/> and calls
/// <see cref="IKomlogdPackage.LoadAsync"/>.
/// </summary>
/// <example>
/// <code>
/// [assembly: KomlogdPackage(typeof(MyPackage.Load))]
///
/// namespace MyPackage;
///
/// public sealed class Load : IKomlogdPackage
/// {
///     public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
///     {
///         context.Log.Info("loaded");
///         return Task.CompletedTask;
///     }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class KomlogdPackageAttribute(Type entryPoint) : Attribute
{
    /// <summary>A public class with a parameterless constructor that implements <see cref="IKomlogdPackage"/>.</summary>
    public Type EntryPoint { get; } = entryPoint;
}
