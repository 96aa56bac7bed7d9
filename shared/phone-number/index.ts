/** Phone number normalisation and caller ID resolution (pure). */
export * from './normalize';
export * from './sipUri';
export * from './callerId';
