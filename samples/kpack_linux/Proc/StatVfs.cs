using System.Runtime.InteropServices;

namespace Kpack.Linux.Proc;

/// <summary>statvfs(3) from libc: no package needed for the filesystem figures sar -F prints.</summary>
internal static class StatVfs
{
    /// <summary>The usage of the filesystem mounted at <paramref name="mountPoint"/>, or null when statvfs fails.</summary>
    public static FilesystemUsage? Query(string device, string mountPoint)
    {
        // The layout below is glibc's and musl's on 64-bit Linux; elsewhere fall back to what .NET offers.
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return Fallback(device, mountPoint);
        }
        try
        {
            return NativeMethods.statvfs(mountPoint, out var s) != 0
                ? null
                : new FilesystemUsage(device, s.FragmentSize == 0 ? s.BlockSize : s.FragmentSize, s.Blocks, s.FreeBlocks, s.AvailableBlocks, s.Files, s.FreeFiles);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback(device, mountPoint);
        }
    }

    private static FilesystemUsage? Fallback(string device, string mountPoint)
    {
        try
        {
            var d = new DriveInfo(mountPoint);
            const ulong Unit = 4096;
            return new FilesystemUsage(device, Unit, (ulong)d.TotalSize / Unit, (ulong)d.TotalFreeSpace / Unit, (ulong)d.AvailableFreeSpace / Unit, 0, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Native
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong FreeBlocks;
        public ulong AvailableBlocks;
        public ulong Files;
        public ulong FreeFiles;
        public ulong AvailableFiles;
        public ulong FsId;
        public ulong Flags;
        public ulong NameMax;
        public ulong Spare0;
        public ulong Spare1;
        public ulong Spare2;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statvfs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out Native buf);
    }
}
