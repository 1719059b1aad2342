// The agent is a Unix program: file modes, Unix domain sockets, POSIX signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
