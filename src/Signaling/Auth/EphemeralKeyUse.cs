namespace MediaServer.Signaling.Auth;

/// <summary>What a request may do with an ephemeral <c>ek_</c> key instead of a standard key.</summary>
public enum EphemeralKeyUse
{
    /// <summary>Standard keys only (minting secrets, dialing, listing calls).</summary>
    Refused,

    /// <summary>Opens a session or call: takes the key's single use.</summary>
    Open,

    /// <summary>Controls or monitors a call: allowed for the call the key opened (checked by the caller against
    /// <see cref="ClientSecret.OpenedId"/>).</summary>
    ControlOwnCall,

    /// <summary>Harmless reads a browser makes before opening (the ICE server list): accepted, the use is not taken.</summary>
    Read,
}
