namespace Komlogd.TestKit;

/// <summary>
/// <c>df -k</c> as captured on this machine (tests/Komlogd.Identification.Tests/corpus/tuning/df), for tests that
/// pipe a fixed text rather than the machine's own: the used blocks of <c>/</c> are 14976628, then 14976928.
/// </summary>
public static class DfTexts
{
    public const string First = """
        Filesystem              1K-blocks     Used Available Use% Mounted on
        devtmpfs                 12334172        0  12334172   0% /dev
        tmpfs                    24683548        0  24683548   0% /dev/shm
        /dev/vda                264212084 14976628  81801344  16% /
        tmpfs                    12341772        0  12341772   0% /sys/fs/cgroup

        """;

    /// <summary>Rows added; the root row's used blocks are now 14976928.</summary>
    public const string Second = """
        Filesystem              1K-blocks     Used Available Use% Mounted on
        devtmpfs                 12334172        0  12334172   0% /dev
        tmpfs                    24683548        0  24683548   0% /dev/shm
        tmpfs                       65536    10240     55296  16% /mnt/kc1
        /dev/vda                264212084 14976928  81801044  16% /
        tmpfs                    12341772        0  12341772   0% /sys/fs/cgroup

        """;

    /// <summary>The index (from 1) of the root row's used blocks in <see cref="First"/> as <c>komlogd identify</c> lists it.</summary>
    public const int RootUsedIndex = 10;
}
