namespace Kpack.Linux.Proc;

/// <summary>What statvfs says about one mounted filesystem.</summary>
/// <param name="Name">The mounted device (<c>/dev/vda1</c>), as sar's FILESYSTEM column shows it.</param>
/// <param name="FragmentSize">f_frsize: the unit of the block counts, in bytes.</param>
/// <param name="Blocks">f_blocks.</param>
/// <param name="FreeBlocks">f_bfree (free, including blocks reserved for root).</param>
/// <param name="AvailableBlocks">f_bavail (free to unprivileged users).</param>
/// <param name="Files">f_files: inodes; 0 when the filesystem has no fixed count.</param>
/// <param name="FreeFiles">f_ffree.</param>
internal sealed record FilesystemUsage(string Name, ulong FragmentSize, ulong Blocks, ulong FreeBlocks, ulong AvailableBlocks, ulong Files, ulong FreeFiles);
