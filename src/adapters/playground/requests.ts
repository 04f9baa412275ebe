/** The page's requests as the server accepts them (zod at the HTTP boundary). */
import { z } from "zod";
import { LOCALES } from "../../core/text.js";
import { CLOCK_STEPS } from "./clock.js";

const chatId = z.string().regex(/^-?\d{1,15}$/);
const personId = z.number().int().positive();
const messageId = z.number().int().positive();

export const SendRequest = z.object({ chatId, fromId: personId, text: z.string().min(1).max(8000), replyTo: messageId.optional() });
export const EditRequest = z.object({ chatId, fromId: personId, messageId, text: z.string().min(1).max(8000) });
export const PressRequest = z.object({ chatId, fromId: personId, messageId, value: z.string().min(1).max(64) });
export const OwnerRequest = z.object({ name: z.string().trim().min(1).max(40), locale: z.enum(LOCALES) });
export const LocaleRequest = z.object({ locale: z.enum(LOCALES) });
export const ClockRequest = z.object({ step: z.enum(CLOCK_STEPS) });
/** A photo's bytes are the body; who sends it where rides in the query. */
export const PhotoQuery = z.object({ chatId, fromId: z.coerce.number().int().positive(), caption: z.string().max(1000).default("") });

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_JSON_BYTES = 64 * 1024;
