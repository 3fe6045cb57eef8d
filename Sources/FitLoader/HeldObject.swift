/// A strong reference kept with its identity, so "is this the same object?" — asked on every row — compares
/// two plain values instead of loading (retaining and releasing) the reference.
///
/// The reference keeps the object alive, so its identity cannot be reused by another object meanwhile.
struct HeldObject<Object: AnyObject> {
    private(set) var object: Object?
    private var id: ObjectIdentifier?

    /// True when `other` is the held object.
    @inline(__always)
    func holds(_ other: Object) -> Bool { id == ObjectIdentifier(other) }

    /// Holds `other` (nil: nothing); does nothing when it is already held.
    @inline(__always)
    mutating func hold(_ other: Object?) {
        let otherID = other.map(ObjectIdentifier.init)
        if otherID != id { object = other; id = otherID }
    }
}
