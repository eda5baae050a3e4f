package io.wirelake.store.lock;

import java.io.IOException;

/** A delete, overwrite or retention change refused because of an object's lock; the message names the object and the lock. */
public class ObjectLockedException
        extends IOException
{
    public ObjectLockedException(String message)
    {
        super(message);
    }
}
