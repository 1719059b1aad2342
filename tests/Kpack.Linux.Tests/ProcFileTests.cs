using System.Text;
using Kpack.Linux.Proc;

namespace Kpack.Linux.Tests;

public sealed class ProcFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kpack-procfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFileLongerThanTheBufferIsReadWhole()
    {
        // 40,000 bytes with multi-byte characters: the kept 16 KiB buffer grows, twice.
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i,5} é\n"));
        var path = Path.Combine(_dir, "big");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var file = new ProcFile();

        Assert.Equal(text, file.ReadText(path));
        Assert.Equal("short\n", file.ReadText(Write("short", "short\n")));
        Assert.Equal(text, file.ReadText(path));
    }

    [Fact]
    public void AKernelFileReadsAsItsText()
    {
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease"), new ProcFile().ReadText("/proc/sys/kernel/osrelease"));
    }

    [Fact]
    public void WhatCannotBeOpenedOrReadIsNullNotAnException()
    {
        var file = new ProcFile();

        Assert.Null(file.ReadText(Path.Combine(_dir, "missing")));
        Assert.Null(file.ReadText(_dir)); // open succeeds, read fails (EISDIR): a sysfs file the kernel refuses fails the same way
        Assert.Equal("", file.ReadText(Write("empty", "")));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
