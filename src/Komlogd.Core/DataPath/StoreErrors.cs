using Komlogd.Core.Store;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;

namespace Komlogd.Core.DataPath;

/// <summary>
/// A refused or failed store operation as both sockets answer it (the host channel and the control socket):
/// the store could not write (<see cref="StoreFailedException"/>: disk full, database busy) is
/// <see cref="ErrorCodes.StoreFailed"/>, anything else the store refused is a rule broken,
/// <see cref="ErrorCodes.Refused"/> (docs/protocol.md, "Error codes").
/// </summary>
internal static class StoreErrors
{
    public static RpcErrorException ToRpc(KomlogdException e) =>
        new(e is StoreFailedException ? ErrorCodes.StoreFailed : ErrorCodes.Refused, e.Message);
}
