/**
 * The studio's and the CLI's bound on the longer side of an image to translate (no tfjs here: the page imports
 * it). A 1024×768 photo through ngf 64 / 9 blocks needs ~1 GB of activations; bigger ones are scaled down first.
 */
export const TRANSLATE_MAX_SIDE = 1024;
