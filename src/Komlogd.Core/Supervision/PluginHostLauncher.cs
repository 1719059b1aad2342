using System.Buffers.Binary;
using Komlogd.Core.DataPath;
using Komlogd.Core.Store;
using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>Starts real Komlogd.PluginHost children from the agent's own directory, each served by an <see cref="AgentServer"/>.</summary>
public sealed class PluginHostLauncher(ILogger log, SampleHub? hub = null, string? hostDll = null) : IChildLauncher
{
    private bool? _jitProfiles;

    public string HostDll { get; } = hostDll ?? DefaultHostDll(AppContext.BaseDirectory);

    /// <summary>
    /// Whether children keep a start-up JIT profile per venv (docs/protocol.md, "Start-up JIT profile"): only
    /// when the host is IL (the tool package's portable host), whose start compiles every method. A
    /// ReadyToRun host starts within 5–10 % as fast without one, and replaying it kept 0.75 MiB more in every
    /// child (docs/benchmarks.md, "The host's own channel").
    /// </summary>
    public bool JitProfiles => _jitProfiles ??= !IsReadyToRun(HostDll);

    /// <summary>True when <paramref name="assembly"/> carries precompiled (ReadyToRun) code.</summary>
    /// <remarks>
    /// Its CLI header's ManagedNativeHeader directory is set (ECMA-335 II.25.3.3; the runtime's own test for a
    /// ReadyToRun image), read from the PE headers by hand: System.Reflection.Metadata's <c>PEReader</c> did the
    /// same but kept it and System.Collections.Immutable mapped in every running agent, 1.7 MiB of its PSS for
    /// one answer (docs/benchmarks.md, "The agent's channels"). <c>PluginHostTests</c> checks this against
    /// <c>PEReader</c> on ReadyToRun and IL assemblies, a truncated one and a file that is not PE.
    /// </remarks>
    public static bool IsReadyToRun(string assembly)
    {
        try
        {
            using var file = File.OpenRead(assembly);
            var head = new byte[4096];
            var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var cliHeader = CliHeaderOffset(head.AsSpan(0, length));
            if (cliHeader is not { } offset)
            {
                return false;
            }
            Span<byte> cli = stackalloc byte[72];
            file.Position = offset;
            // The ManagedNativeHeader directory: RVA at 64, size at 68 of the 72-byte IMAGE_COR20_HEADER.
            return file.ReadAtLeast(cli, cli.Length, throwOnEndOfStream: false) == cli.Length
                && BinaryPrimitives.ReadUInt32LittleEndian(cli[68..]) > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The file offset of the CLI header, from the PE headers in <paramref name="head"/>; null when there is none.</summary>
    private static long? CliHeaderOffset(ReadOnlySpan<byte> head)
    {
        if (head.Length < 64 || head[0] != 'M' || head[1] != 'Z')
        {
            return null;
        }
        var pe = BinaryPrimitives.ReadInt32LittleEndian(head[0x3C..]);
        if (pe < 0 || pe > head.Length - 24 || !head.Slice(pe, 4).SequenceEqual("PE\0\0"u8))
        {
            return null;
        }
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(head[(pe + 6)..]);
        int optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(head[(pe + 20)..]);
        var optional = pe + 24;
        if (optional + 2 > head.Length)
        {
            return null;
        }
        // Data directory 14 (the CLI header) after the PE32 or PE32+ optional header's fixed part.
        var directory = optional + (BinaryPrimitives.ReadUInt16LittleEndian(head[optional..]) == 0x20b ? 112 : 96) + 14 * 8;
        var table = optional + optionalSize;
        if (directory + 8 > head.Length || table + sections * 40 > head.Length)
        {
            return null;
        }
        var rva = BinaryPrimitives.ReadUInt32LittleEndian(head[directory..]);
        for (var i = 0; rva != 0 && i < sections; i++)
        {
            var section = head[(table + i * 40)..];
            var address = BinaryPrimitives.ReadUInt32LittleEndian(section[12..]);
            var size = Math.Max(BinaryPrimitives.ReadUInt32LittleEndian(section[8..]), BinaryPrimitives.ReadUInt32LittleEndian(section[16..]));
            if (rva >= address && rva - address < size)
            {
                return rva - address + BinaryPrimitives.ReadUInt32LittleEndian(section[20..]);
            }
        }
        return null;
    }

    /// <summary>
    /// The host an agent installed in <paramref name="agentDir"/> starts: the copy in host/ that the build
    /// publishes (Komlogd.Core.csproj, target PublishPluginHost; ReadyToRun unless built with
    /// -p:KomlogdHostReadyToRun=false), else a portable assembly beside the agent.
    /// </summary>
    public static string DefaultHostDll(string agentDir)
    {
        var published = Path.Combine(agentDir, "host", "Komlogd.PluginHost.dll");
        return File.Exists(published) ? published : Path.Combine(agentDir, "Komlogd.PluginHost.dll");
    }

    public IChild Launch(string venv, string entryAssembly) =>
        PluginHostChild.Start(venv, entryAssembly, HostDll, JitProfiles, log, (rpc, childLog) => new AgentServer(childLog, hub, rpc));
}
