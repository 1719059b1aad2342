namespace Kpack.Linux.Proc;

/// <summary>One interface of /proc/net/dev.</summary>
internal sealed record InterfaceCounters(
    string Name,
    long RxBytes, long RxPackets, long RxErrors, long RxDrop, long RxFifo, long RxFrame, long RxCompressed, long RxMulticast,
    long TxBytes, long TxPackets, long TxErrors, long TxDrop, long TxFifo, long Collisions, long TxCarrier, long TxCompressed);
