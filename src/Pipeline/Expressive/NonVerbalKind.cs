namespace MediaServer.Pipeline.Expressive;

/// <summary>A sound that a non-verbal tag (<c>[sigh]</c>, <c>[laugh]</c>) stands for; rendered by <see cref="NonVerbalSounds"/>.</summary>
public enum NonVerbalKind
{
    Sigh,
    Laugh,
    Hmm,
    Breathe,
    ClearThroat,
    Cough,
}
