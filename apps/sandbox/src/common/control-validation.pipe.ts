import { ValidationPipe } from '@nestjs/common';

/** Validation of control-API bodies: unknown fields are refused, types converted. */
export const controlValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
});
