namespace Kpack.Linux.Reports;

/// <summary>The sar sections the package reads, named by the sar option that prints them.</summary>
internal enum SarTableKind
{
    /// <summary><c>-u</c>: CPU utilisation (<c>CPU %user %nice %system %iowait %steal %idle</c>).</summary>
    Cpu,

    /// <summary><c>-q</c>: run queue and load averages (<c>runq-sz plist-sz ldavg-1 ldavg-5 ldavg-15 blocked</c>).</summary>
    Load,

    /// <summary><c>-r</c>: memory (<c>kbmemfree ... %memused ...</c>).</summary>
    Memory,

    /// <summary><c>-W</c>: swapping (<c>pswpin/s pswpout/s</c>).</summary>
    Swapping,

    /// <summary><c>-B</c>: paging (<c>pgpgin/s ... majflt/s ... %vmeff</c>).</summary>
    Paging,

    /// <summary><c>-d</c>: block devices (<c>DEV tps ... %util</c>).</summary>
    Devices,

    /// <summary><c>-F</c>: mounted filesystems (<c>MBfsfree ... %fsused ... FILESYSTEM</c>).</summary>
    Filesystems,

    /// <summary><c>-n DEV</c>: network interface traffic (<c>IFACE rxpck/s ... %ifutil</c>).</summary>
    InterfaceTraffic,

    /// <summary><c>-n EDEV</c>: network interface errors (<c>IFACE rxerr/s ... txfifo/s</c>).</summary>
    InterfaceErrors,
}
