using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Export;

/// <summary>One running export block; <see cref="ExportManager"/> starts, replaces and stops them.</summary>
internal interface IExporter : IAsyncDisposable
{
    ExportBlock Block { get; }

    ExportStatusDto Status();
}
